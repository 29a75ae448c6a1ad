using BenchmarkDotNet.Attributes;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Benchmarks.Codecs;

/// <summary>The stages of a transcode, one 20 ms frame each, to see where the time goes.</summary>
[MemoryDiagnoser]
public class CodecComponentBenchmarks
{
    private readonly short[] _pcm8 = new short[160];
    private readonly short[] _pcm16 = new short[320];
    private readonly short[] _scratch8 = new short[160];
    private readonly short[] _scratch16 = new short[320];
    private readonly byte[] _payload = new byte[160];
    private readonly G711Encoder _pcmuEncoder = new(AudioCodecId.Pcmu);
    private readonly G711Decoder _pcmuDecoder = new(AudioCodecId.Pcmu);
    private readonly G722Encoder _g722Encoder = new();
    private readonly G722Decoder _g722Decoder = new();
    private readonly HalfBandUpsampler _up = new();
    private readonly HalfBandDownsampler _down = new();
    private byte[] _g722Frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _pcm16.Length; i++)
        {
            _pcm16[i] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * i / 16000));
        }

        for (var i = 0; i < _pcm8.Length; i++)
        {
            _pcm8[i] = _pcm16[i * 2];
        }

        _g722Frame = new byte[160];
        new G722Encoder().Encode(_pcm16, _g722Frame);
    }

    [Benchmark]
    public int PcmuEncode() => _pcmuEncoder.Encode(_pcm8, _payload);

    [Benchmark]
    public int PcmuDecode() => _pcmuDecoder.Decode(_payload, _scratch8);

    [Benchmark]
    public int G722Encode() => _g722Encoder.Encode(_pcm16, _payload);

    [Benchmark]
    public int G722Decode() => _g722Decoder.Decode(_g722Frame, _scratch16);

    [Benchmark]
    public int Upsample() => _up.Process(_pcm8, _scratch16);

    [Benchmark]
    public int Downsample() => _down.Process(_pcm16, _scratch8);
}
