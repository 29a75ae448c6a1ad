using BenchmarkDotNet.Attributes;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Benchmarks.Codecs;

/// <summary>
/// One 20 ms frame through a per-call-direction <see cref="Transcoder"/>, as the relay does for
/// every packet: PCMU→PCMA (byte table), PCMU→G.722 (decode, 2× up, G.722 encode) and
/// G.722→PCMU (G.722 decode, 2× down, encode).
/// </summary>
[MemoryDiagnoser]
public class TranscoderBenchmarks
{
    private readonly byte[] _output = new byte[160];
    private Transcoder _pcmuToPcma = null!;
    private Transcoder _pcmuToG722 = null!;
    private Transcoder _g722ToPcmu = null!;
    private byte[] _pcmuFrame = null!;
    private byte[] _g722Frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = CodecRegistry.Default;
        _pcmuToPcma = registry.CreateTranscoder(AudioCodecInfo.Pcmu, AudioCodecInfo.Pcma);
        _pcmuToG722 = registry.CreateTranscoder(AudioCodecInfo.Pcmu, AudioCodecInfo.G722);
        _g722ToPcmu = registry.CreateTranscoder(AudioCodecInfo.G722, AudioCodecInfo.Pcmu);
        _pcmuFrame = Encode(AudioCodecInfo.Pcmu);
        _g722Frame = Encode(AudioCodecInfo.G722);
    }

    [Benchmark(Baseline = true)]
    public int PcmuToPcma() => _pcmuToPcma.Transcode(_pcmuFrame, _output);

    [Benchmark]
    public int PcmuToG722() => _pcmuToG722.Transcode(_pcmuFrame, _output);

    [Benchmark]
    public int G722ToPcmu() => _g722ToPcmu.Transcode(_g722Frame, _output);

    private static byte[] Encode(AudioCodecInfo codec)
    {
        var pcm = new short[codec.SamplesPerFrame];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * i / codec.SampleRate));
        }

        var payload = new byte[codec.BytesPerFrame];
        CodecRegistry.Default.CreateEncoder(codec).Encode(pcm, payload);
        return payload;
    }
}
