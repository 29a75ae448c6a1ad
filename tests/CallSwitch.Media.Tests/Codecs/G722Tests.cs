using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Tests.Codecs;

public sealed class G722Tests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(6000)] // above the 4 kHz G.711 limit: G.722 is wide-band (50–7000 Hz)
    public void RoundTripKeepsAToneAcrossFrames(double frequency)
    {
        var encoder = new G722Encoder();
        var decoder = new G722Decoder();
        var sine = SignalMath.Sine(frequency, 16000, 320 * 25, 10000);
        var decoded = new short[sine.Length];
        var payload = new byte[160];
        for (var f = 0; f < 25; f++)
        {
            Assert.Equal(160, encoder.Encode(sine.AsSpan(f * 320, 320), payload));
            Assert.Equal(320, decoder.Decode(payload, decoded.AsSpan(f * 320, 320)));
        }

        var steady = decoded.AsSpan(320 * 5);
        var level = SignalMath.ToneAmplitude(steady, frequency, 16000);
        Assert.InRange(level, 10000 * 0.89, 10000 * 1.12); // within 1 dB
        Assert.True(SignalMath.ToneCorrelation(steady, frequency, 16000) > 0.99);
    }

    [Fact]
    public void DescribesItsSizes()
    {
        Assert.Equal(320, new G722Decoder().GetSampleCount(160));
        Assert.Equal(160, new G722Encoder().GetPayloadLength(320));
        Assert.Equal(AudioCodecId.G722, new G722Decoder().Codec.Id);
    }

    [Fact]
    public void RefusesOddSampleCountsAndShortBuffers()
    {
        Assert.Throws<ArgumentException>(() => new G722Encoder().Encode(new short[3], new byte[4]));
        Assert.Throws<ArgumentException>(() => new G722Encoder().Encode(new short[320], new byte[100]));
        Assert.Throws<ArgumentException>(() => new G722Decoder().Decode(new byte[160], new short[300]));
    }

    [Fact]
    public void ResetRestartsTheStream()
    {
        var encoder = new G722Encoder();
        var sine = SignalMath.Sine(1000, 16000, 640, 10000);
        var first = new byte[160];
        var again = new byte[160];
        encoder.Encode(sine.AsSpan(0, 320), first);
        encoder.Encode(sine.AsSpan(320, 320), again);
        encoder.Reset();
        encoder.Encode(sine.AsSpan(0, 320), again);
        Assert.Equal(first, again);
    }
}
