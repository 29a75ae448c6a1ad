using BenchmarkDotNet.Attributes;
using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Benchmarks.Recording;

/// <summary>
/// One recording's life around its audio, as a recorded call set-up and hang-up pay it: created
/// by the vault (data key made, wrapped and stored in a file with its fsync; the spool file
/// created; encoder, Ogg and encryption set up; the taps and the timeline), started on a
/// <see cref="RecorderScheduler"/>, stopped at once (the headers, one frame and the final chunk
/// written and fsynced by the vault's writer thread, whose time is not in the figure but whose
/// allocations are). No SIP, no rows, no audio: the call's own second of encoding is the
/// recorder's per-frame benchmark. On the machine's own disk (a temporary folder).
/// </summary>
[MemoryDiagnoser]
public class RecorderLifecycleBenchmarks
{
    private static readonly Dictionary<int, AudioCodecInfo> Pcmu = new() { [0] = AudioCodecInfo.Pcmu };
    private string _folder = null!;
    private RecordingVault _vault = null!;
    private RecorderScheduler _scheduler = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("cs-bench-lifecycle-").FullName;
        var keys = new RecordingKeyManager(new FileKeyStore(Path.Combine(_folder, "keys")), MasterKey.Generate());
        _vault = new RecordingVault(Path.Combine(_folder, "spool"), keys);
        _scheduler = new RecorderScheduler(TimeProvider.System, workers: 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scheduler.Dispose();
        _vault.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "create, start, stop one recorder")]
    public async Task<RecorderSummary> CreateStartStop()
    {
        CallRecorder recorder = _vault.CreateRecorder(Guid.CreateVersion7().ToString("N"), DateTimeOffset.UtcNow, "campaign", TimeProvider.System, Pcmu, Pcmu);
        recorder.Start(Task.CompletedTask, TimeSpan.FromSeconds(5), () => { }, _scheduler);
        return await recorder.StopAsync();
    }
}
