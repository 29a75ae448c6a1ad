using BenchmarkDotNet.Attributes;
using CallSwitch.Recording.Opus;

namespace CallSwitch.Benchmarks.Recording;

/// <summary>
/// The recorder's encoder (native libopus, CELT, forced stereo, 48 kbit/s) at the settings that
/// change its cost: complexity and the input rate (16 kHz: the timeline's rate; 8 kHz would do
/// when both legs are narrowband). One 20 ms frame, both parties talking (two tones).
/// </summary>
[MemoryDiagnoser]
public class StereoOpusSettingsBenchmarks
{
    private const int Frames = 50;
    private readonly byte[] _packet = new byte[StereoOpusEncoder.MaxPacketLength];
    private short[][] _frames = null!;
    private StereoOpusEncoder _encoder = null!;
    private int _next;

    [Params(0, 2, 5, 10)]
    public int Complexity { get; set; }

    [Params(8000, 16000)]
    public int InputSampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _encoder = new StereoOpusEncoder(new StereoOpusEncoderOptions
        {
            Implementation = OpusImplementation.Native,
            Complexity = Complexity,
            InputSampleRate = InputSampleRate,
        });
        _frames = TwoTalkers.Frames(Frames, _encoder.FrameSize, InputSampleRate);
    }

    [GlobalCleanup]
    public void Cleanup() => _encoder.Dispose();

    [Benchmark(Description = "libopus native, one 20 ms stereo frame")]
    public int Encode() => _encoder.Encode(_frames[_next++ % Frames], _packet);
}
