using BenchmarkDotNet.Attributes;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Timeline;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Benchmarks.Recording;

/// <summary>
/// The recorder's whole per-frame work for one call: place 20 ms of each party (8 kHz, as
/// decoded G.711) on the timeline (16 kHz: upsampled; 8 kHz, as narrowband calls are
/// recorded: as it is), emit the stereo frame, encode it (native or managed Opus, the recorder's
/// default settings), write it to Ogg and encrypt it (AES-256-GCM chunks, flushed every second),
/// and hand each chunk to the vault's spool writer, whose thread hashes it and writes it (to
/// Stream.Null here: the disk is not measured, and its thread's time is not in the figure, its
/// allocations are). Time per operation × 50 = recorder CPU per call-second. RTP parsing and G.711 decoding are measured by
/// the codec benchmarks.
/// </summary>
[MemoryDiagnoser]
public class RecorderFrameBenchmarks
{
    private readonly short[] _agent = new short[160];
    private readonly short[] _prospect = new short[160];
    private ManualTimeProvider _time = null!;
    private StereoRecorder _recorder = null!;
    private OpusRecordingWriter _writer = null!;
    private EncryptedRecordingWriter _encrypted = null!;
    private uint _timestamp;

    [Params(OpusImplementation.Native, OpusImplementation.Managed)]
    public OpusImplementation Implementation { get; set; }

    [Params(8000, 16000)]
    public int TimelineRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < 160; i++)
        {
            _agent[i] = (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / 8000));
            _prospect[i] = (short)(6000 * Math.Sin(2 * Math.PI * 1000 * i / 8000));
        }

        _time = new ManualTimeProvider();
        _encrypted = new EncryptedRecordingWriter(new SpoolWriter().Open(new Sha256CountingStream(Stream.Null)), new byte[32], Guid.NewGuid());
        _writer = new OpusRecordingWriter(
            _encrypted,
            new StereoOpusEncoder(new StereoOpusEncoderOptions { Implementation = Implementation, InputSampleRate = TimelineRate }),
            new RecordingTags("bench", "bench"),
            1);
        _recorder = new StereoRecorder(_writer, _time, new StereoRecorderOptions { SampleRate = TimelineRate });
        _recorder.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _encrypted.Dispose();
    }

    [Benchmark(Description = "record one 20 ms stereo frame (timeline + Opus + Ogg + AES-GCM)")]
    public int RecordFrame()
    {
        _recorder.Write(Party.Agent, 1, _timestamp, 8000, _agent, 8000);
        _recorder.Write(Party.Prospect, 2, _timestamp, 8000, _prospect, 8000);
        _timestamp += 160;
        _time.Advance(TimeSpan.FromMilliseconds(20));
        return _recorder.Pump();
    }
}
