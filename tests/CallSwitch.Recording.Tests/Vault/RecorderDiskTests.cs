using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Timeline;
using CallSwitch.Recording.Vault;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>
/// Whole recorders (taps → crew → timeline → Opus → Ogg → encryption → file) on a disk that
/// stalls or fills: the files' writes are not the crew's, so a stalled file holds no worker and
/// no recording loses a packet; a write that fails ends its own recording as a write failure.
/// The ticks come from a fake clock, the crew and the vault's writer are real threads: each check
/// waits (bounded) for them.
/// </summary>
public sealed class RecorderDiskTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PlayoutDelay = new StereoRecorderOptions().PlayoutDelay;
    private static readonly Dictionary<int, AudioCodecInfo> Pcmu = new() { [0] = AudioCodecInfo.Pcmu };
    private readonly string _spool = Directory.CreateTempSubdirectory("cs-disk-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    [Fact]
    public async Task TwoStalledFilesHoldNoWorkerAndEveryRecordingEndsCompleteOnceTheDiskComesBack()
    {
        const int Recordings = 6;
        const int Stalled = 2;

        // 6 s of packets: more than a tap holds (5.12 s), so a recording not stepped meanwhile would drop some.
        const int Ticks = 300;
        using var gate = new ManualResetEventSlim(false);
        var files = new List<StallingFile>();
        using var vault = new RecordingVault(_spool, _keys)
        {
            FileWrapper = file =>
            {
                var wrapped = new StallingFile(file) { Gate = files.Count < Stalled ? gate : null };
                files.Add(wrapped);
                return wrapped;
            },
        };
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        var recorders = new List<CallRecorder>();
        try
        {
            for (int i = 0; i < Recordings; i++)
            {
                CallRecorder recorder = vault.CreateRecorder(Guid.CreateVersion7().ToString("N"), _time.GetUtcNow(), "campaign", _time, Pcmu, Pcmu);
                var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                recorder.Start(saved.Task, TimeSpan.FromSeconds(5), () => { }, scheduler);
                saved.SetResult();
                recorders.Add(recorder);
            }

            for (int tick = 1; tick <= Ticks; tick++)
            {
                OfferPacket(tick, recorders);
                _time.Advance(Tick);
                long due = DueFrames(Tick * tick);
                await Poll.UntilAsync(
                    () => recorders.All(r => r.FramesEmitted == due),
                    $"every recording stepped to {due} frames at tick {tick} while {Stalled} files' writes are stalled (frames: {string.Join(", ", recorders.Select(r => r.FramesEmitted))})");
            }

            // The stall was real: nothing of the two files is on disk, and a write to one of them is still waiting.
            Assert.All(files.Take(Stalled), f => Assert.Equal(0, f.Written));
            Assert.Contains(files.Take(Stalled), f => f.IsStalled);
            Assert.All(recorders, r => Assert.Equal(0, r.AgentTap.Dropped + r.ProspectTap.Dropped));
        }
        finally
        {
            gate.Set();
        }

        RecorderSummary[] summaries = await Task.WhenAll(recorders.Select(r => r.StopAsync())).WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < Recordings; i++)
        {
            RecorderSummary summary = summaries[i];
            Assert.Null(summary.Failure);
            Assert.Equal(RecordingStatus.Complete, summary.Status);
            Assert.Equal(0, summary.DroppedPackets);
            Assert.Equal(Tick * Ticks, summary.Duration);
            AssertFileMatches(vault, recorders[i].FilePath, summary);

            // Written by the vault's writer, never by a worker of the crew.
            Assert.DoesNotContain(files[i].WriterThreads, name => name.StartsWith("recorder ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AWriteThatFailsOnTheWritersThreadEndsItsRecordingAsAWriteFailureAndSparesTheOthers()
    {
        var files = new List<StallingFile>();
        using var vault = new RecordingVault(_spool, _keys)
        {
            // The first recording's disk fills after 3,000 bytes (the headers and about a second of audio); the second has room.
            FileWrapper = file =>
            {
                var wrapped = new StallingFile(file) { RoomBytes = files.Count == 0 ? 3000 : null };
                files.Add(wrapped);
                return wrapped;
            },
        };
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        CallRecorder failing = vault.CreateRecorder(Guid.CreateVersion7().ToString("N"), _time.GetUtcNow(), "campaign", _time, Pcmu, Pcmu);
        CallRecorder other = vault.CreateRecorder(Guid.CreateVersion7().ToString("N"), _time.GetUtcNow(), "campaign", _time, Pcmu, Pcmu);
        failing.Start(Task.CompletedTask, TimeSpan.FromSeconds(5), () => { }, scheduler);
        other.Start(Task.CompletedTask, TimeSpan.FromSeconds(5), () => { }, scheduler);
        for (int tick = 1; tick <= 250 && !failing.Running.IsCompleted; tick++)
        {
            OfferPacket(tick, [failing, other]);
            _time.Advance(Tick);
            long due = DueFrames(Tick * tick);
            await Poll.UntilAsync(() => other.FramesEmitted == due, $"the other recording at {due} frames at tick {tick}");
        }

        // The recording's own step sees the writer's error, as it saw the file's own before: its run faults with it.
        IOException thrown = await Assert.ThrowsAsync<IOException>(() => failing.Running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(StallingFile.DiskFull, thrown.Message);
        Assert.Equal(["spool writer"], files[0].WriterThreads);
        RecorderSummary failed = await failing.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(thrown, failed.Failure);
        Assert.Equal(RecordingStatus.Incomplete, failed.Status);

        // The file is what the summary says (cut back to the last whole write), authentic up to there.
        byte[] bytes = await File.ReadAllBytesAsync(failing.FilePath);
        Assert.Equal(failed.FileSize, bytes.Length);
        Assert.True(bytes.Length is > 0 and <= 3000, $"{bytes.Length} bytes");
        Assert.Equal(failed.CiphertextSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var truncated = Assert.Throws<RecordingIntegrityException>(() => Decrypt(vault, failing.FilePath));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        Assert.False(other.Running.IsCompleted);
        RecorderSummary whole = await other.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(whole.Failure);
        Assert.Equal(RecordingStatus.Complete, whole.Status);
        AssertFileMatches(vault, other.FilePath, whole);

        // Stopped, the taps are closed (their blocks gone back to the pool): a late packet of the relay is ignored.
        long accepted = other.AgentTap.Accepted;
        OfferPacket(10_000, [other]);
        Assert.Equal(accepted, other.AgentTap.Accepted);
    }

    /// <summary>One 20 ms PCMU packet of noise (so the encoder writes a real voice's bytes) to both parties of each recorder, as the relay offers it.</summary>
    private static void OfferPacket(int tick, IEnumerable<CallRecorder> recorders)
    {
        var packet = new byte[12 + 160];
        int length = RtpPacket.WriteHeader(packet, 0, false, (ushort)tick, (uint)(tick * 160), 0x5151) + 160;
        new Random(tick).NextBytes(packet.AsSpan(12, 160));
        foreach (CallRecorder recorder in recorders)
        {
            recorder.AgentTap.OnPacket(packet.AsSpan(0, length), MediaDirection.Received);
            recorder.ProspectTap.OnPacket(packet.AsSpan(0, length), MediaDirection.Received);
        }
    }

    private static void AssertFileMatches(RecordingVault vault, string path, RecorderSummary summary)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(summary.FileSize, bytes.Length);
        Assert.Equal(summary.CiphertextSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        // Authentic to its final chunk, and an Ogg Opus stream as long as the recording.
        byte[] ogg = Decrypt(vault, path);
        List<OggPageReader.Page> pages = OggPageReader.Read(ogg);
        Assert.True((pages[^1].Flags & 0x04) != 0, "no end-of-stream page");
        int preSkip = BitConverter.ToUInt16(pages[0].Body, 10);
        Assert.Equal(summary.Duration.Ticks * 48000 / TimeSpan.TicksPerSecond, pages[^1].Granule - preSkip);
    }

    private static byte[] Decrypt(RecordingVault vault, string path)
    {
        using EncryptedRecordingReader reader = vault.OpenRecording(path);
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return plain.ToArray();
    }

    private static long DueFrames(TimeSpan elapsed) => Math.Max(0, (elapsed - PlayoutDelay).Ticks / Tick.Ticks);
}
