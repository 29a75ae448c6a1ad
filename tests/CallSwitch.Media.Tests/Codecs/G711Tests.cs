using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Tests.Codecs;

public sealed class G711Tests
{
    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    public void MuLawDecodesKnownVectors(int code, int expected)
    {
        Span<short> pcm = stackalloc short[1];
        new G711Decoder(AudioCodecId.Pcmu).Decode([(byte)code], pcm);
        Assert.Equal(expected, pcm[0]);
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    public void ALawDecodesKnownVectors(int code, int expected)
    {
        Span<short> pcm = stackalloc short[1];
        new G711Decoder(AudioCodecId.Pcma).Decode([(byte)code], pcm);
        Assert.Equal(expected, pcm[0]);
    }

    [Theory]
    [InlineData(AudioCodecId.Pcmu, 0, 0xFF)]
    [InlineData(AudioCodecId.Pcmu, 32767, 0x80)]
    [InlineData(AudioCodecId.Pcmu, -32768, 0x00)]
    [InlineData(AudioCodecId.Pcma, 0, 0xD5)]
    [InlineData(AudioCodecId.Pcma, 32767, 0xAA)]
    [InlineData(AudioCodecId.Pcma, -32768, 0x2A)]
    public void EncodesKnownVectors(AudioCodecId codec, int sample, int expected)
    {
        Span<byte> payload = stackalloc byte[1];
        new G711Encoder(codec).Encode([(short)sample], payload);
        Assert.Equal(expected, payload[0]);
    }

    [Theory]
    [InlineData(AudioCodecId.Pcmu)]
    [InlineData(AudioCodecId.Pcma)]
    public void EveryCodeRoundTrips(AudioCodecId codec)
    {
        var codes = new byte[256];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (byte)i;
        }

        var pcm = new short[256];
        var again = new byte[256];
        new G711Decoder(codec).Decode(codes, pcm);
        new G711Encoder(codec).Encode(pcm, again);
        for (var i = 0; i < codes.Length; i++)
        {
            Assert.Equal(i, again[i]);
        }
    }

    [Theory]
    [InlineData(AudioCodecId.Pcmu)]
    [InlineData(AudioCodecId.Pcma)]
    public void TablesMatchNAudio(AudioCodecId codec)
    {
        var encoder = new G711Encoder(codec);
        Span<byte> payload = stackalloc byte[1];
        // −32768 is excluded: NAudio overflows on it (see G711Tables), the tables saturate.
        for (var s = (short)-short.MaxValue; s < short.MaxValue; s += 7)
        {
            encoder.Encode([s], payload);
            var expected = codec == AudioCodecId.Pcmu
                ? NAudio.Codecs.MuLawEncoder.LinearToMuLawSample(s)
                : NAudio.Codecs.ALawEncoder.LinearToALawSample(s);
            Assert.Equal(expected, payload[0]);
        }
    }

    [Fact]
    public void SineSurvivesWithinQuantisationNoise()
    {
        var sine = SignalMath.Sine(1000, 8000, 800, 12000);
        foreach (var codec in new[] { AudioCodecId.Pcmu, AudioCodecId.Pcma })
        {
            var payload = new byte[sine.Length];
            var decoded = new short[sine.Length];
            new G711Encoder(codec).Encode(sine, payload);
            new G711Decoder(codec).Decode(payload, decoded);
            var noise = new short[sine.Length];
            for (var i = 0; i < sine.Length; i++)
            {
                noise[i] = (short)(decoded[i] - sine[i]);
            }

            // G.711 gives roughly 38 dB SNR for a loud tone.
            var snr = 20 * Math.Log10(SignalMath.Rms(sine) / SignalMath.Rms(noise));
            Assert.True(snr > 33, $"{codec}: SNR {snr:F1} dB");
        }
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        Assert.Throws<ArgumentException>(() => new G711Decoder(AudioCodecId.Pcmu).Decode(new byte[160], new short[100]));
        Assert.Throws<ArgumentException>(() => new G711Encoder(AudioCodecId.Pcma).Encode(new short[160], new byte[100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new G711Decoder(AudioCodecId.G722));
    }
}
