using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Tests.Codecs;

public sealed class CodecRegistryTests
{
    [Theory]
    [InlineData("PCMU", 8000, AudioCodecId.Pcmu)]
    [InlineData("pcmu", 8000, AudioCodecId.Pcmu)]
    [InlineData("PcMa", 8000, AudioCodecId.Pcma)]
    [InlineData("G722", 8000, AudioCodecId.G722)]
    [InlineData("g722", 8000, AudioCodecId.G722)]
    public void FindsCodecsByRtpmapNameAndClock(string name, int clock, AudioCodecId expected)
    {
        Assert.True(CodecRegistry.Default.TryGet(name, clock, out var codec));
        Assert.Equal(expected, codec.Id);
        Assert.Equal(expected, CodecRegistry.Default.Get(name, clock).Id);
    }

    [Theory]
    [InlineData("G722", 16000)] // RFC 3551 §4.5.2: the rtpmap clock is 8000
    [InlineData("PCMU", 16000)]
    [InlineData("opus", 48000)]
    [InlineData("telephone-event", 8000)]
    public void RefusesUnknownNameOrClock(string name, int clock)
    {
        Assert.False(CodecRegistry.Default.TryGet(name, clock, out _));
        Assert.Throws<KeyNotFoundException>(() => CodecRegistry.Default.Get(name, clock));
    }

    [Fact]
    public void FactoriesCreateIndependentInstances()
    {
        var a = CodecRegistry.Default.CreateEncoder(AudioCodecInfo.G722);
        var b = CodecRegistry.Default.CreateEncoder(AudioCodecInfo.G722);
        Assert.NotSame(a, b);
        Assert.IsType<G722Encoder>(a);
        Assert.IsType<G711Decoder>(CodecRegistry.Default.CreateDecoder(AudioCodecInfo.Pcma));
        Assert.Equal(3, CodecRegistry.Default.Codecs.Count);
    }

    [Fact]
    public void DescribesFramesAsNegotiated()
    {
        Assert.Equal(320, AudioCodecInfo.G722.SamplesPerFrame);
        Assert.Equal(160, AudioCodecInfo.G722.BytesPerFrame);
        Assert.Equal(160, AudioCodecInfo.G722.RtpTimestampPerFrame);
        Assert.Equal(160, AudioCodecInfo.Pcmu.BytesPerFrame);
        Assert.Equal(9, AudioCodecInfo.G722.StaticPayloadType);
    }

    [Fact]
    public void RefusesDuplicateRegistrations()
    {
        var pcmu = new CodecRegistration(AudioCodecInfo.Pcmu, () => new G711Decoder(AudioCodecId.Pcmu), () => new G711Encoder(AudioCodecId.Pcmu));
        Assert.Throws<ArgumentException>(() => new CodecRegistry([pcmu, pcmu]));
    }
}
