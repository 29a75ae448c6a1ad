using BenchmarkDotNet.Attributes;
using CallSwitch.Recording.Opus;

namespace CallSwitch.Benchmarks.Recording;

/// <summary>
/// Cost of encoding one 20 ms stereo frame (16 kHz, CELT, 48 kbit/s — the recorder's settings)
/// with Concentus's managed encoder (baseline) and with native libopus through Concentus.
/// Both parties talk (two tones), the hardest case for stereo separation.
/// </summary>
[MemoryDiagnoser]
public class StereoOpusEncoderBenchmarks
{
    private const int Frames = 50;
    private readonly byte[] _packet = new byte[StereoOpusEncoder.MaxPacketLength];
    private short[][] _frames = null!;
    private StereoOpusEncoder _managed = null!;
    private StereoOpusEncoder _native = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _managed = new StereoOpusEncoder(new StereoOpusEncoderOptions { Implementation = OpusImplementation.Managed });
        _native = new StereoOpusEncoder(new StereoOpusEncoderOptions { Implementation = OpusImplementation.Native });
        _frames = TwoTalkers.Frames(Frames, _native.FrameSize, 16000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _managed.Dispose();
        _native.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Concentus managed, one 20 ms stereo frame")]
    public int Managed() => _managed.Encode(NextFrame(), _packet);

    [Benchmark(Description = "libopus native, one 20 ms stereo frame")]
    public int Native() => _native.Encode(NextFrame(), _packet);

    private short[] NextFrame() => _frames[_next++ % Frames];
}
