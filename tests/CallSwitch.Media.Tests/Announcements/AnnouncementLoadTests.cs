using System.Security.Cryptography;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Tests.Codecs;
using NAudio.Wave;

namespace CallSwitch.Media.Tests.Announcements;

public sealed class AnnouncementLoadTests
{
    public static TheoryData<string> Formats() =>
    [
        "pcm8-mono-8000", "pcm16-mono-8000", "pcm16-mono-16000", "pcm16-stereo-44100", "pcm24-mono-48000",
        "pcm32-stereo-22050", "float32-mono-11025", "float64-stereo-32000", "extensible24-stereo-96000",
        "pcm16-6ch-48000",
    ];

    [Theory]
    [MemberData(nameof(Formats))]
    public void LoadsAnyFormatIntoMonoPcmAtEachCodecRate(string name)
    {
        var format = Parse(name);
        var bytes = WaveFiles.Sine(format, 440, TimeSpan.FromSeconds(1));
        var announcement = Announcement.FromWaveBytes(bytes, name);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), announcement.Sha256);
        Assert.Equal(1.0, announcement.Duration.TotalSeconds, 0.01);
        Assert.Equal(name, announcement.Source);
        foreach (var rate in new[] { 8000, 16000 })
        {
            var pcm = announcement.GetPcm(rate).Span;
            Assert.InRange(pcm.Length, rate - (rate / 50), rate + (rate / 50));
            var steady = pcm[(rate / 10)..(rate * 9 / 10)];
            var tolerance = format.BitsPerSample == 8 ? 0.03 : 0.01;
            Assert.Equal(0.5 * 32768, SignalMath.ToneAmplitude(steady, 440, rate), 0.5 * 32768 * tolerance);
            Assert.True(SignalMath.ToneCorrelation(steady, 440, rate) > 0.99);
        }
    }

    [Fact]
    public void PreEncodesTwentyMillisecondFramesForEveryCodec()
    {
        var bytes = WaveFiles.Sine(new WaveFormat(16000, 16, 1), 440, TimeSpan.FromMilliseconds(1010));
        var announcement = Announcement.FromWaveBytes(bytes, "tone.wav");
        Assert.Equal(3, announcement.Codecs.Count());
        foreach (var codec in CodecRegistry.Default.Codecs)
        {
            var encoded = announcement.GetEncoded(codec);
            Assert.Same(announcement, encoded.Announcement);
            Assert.Equal(51, encoded.FrameCount); // 1010 ms, the last frame padded
            Assert.Equal(160, encoded.FrameLength);
            Assert.Equal(TimeSpan.FromMilliseconds(1020), encoded.Duration);

            var pcm = TranscoderTests.Decode8k(codec.Id, [.. Enumerable.Range(0, encoded.FrameCount).Select(i => encoded.GetFrame(i).ToArray())]);
            Assert.Equal(0.5 * 32768, SignalMath.ToneAmplitude(pcm.AsSpan(800, 6400), 440, 8000), 0.5 * 32768 * 0.05);
        }
    }

    [Fact]
    public void CanBeLimitedToSomeCodecs()
    {
        var bytes = WaveFiles.Sine(new WaveFormat(8000, 16, 1), 440, TimeSpan.FromMilliseconds(200));
        var announcement = Announcement.FromWaveBytes(bytes, "tone.wav", new AnnouncementLoadOptions { Codecs = [AudioCodecInfo.Pcma] });
        Assert.Equal([AudioCodecId.Pcma], announcement.Codecs.Select(c => c.Id));
        Assert.Throws<KeyNotFoundException>(() => announcement.GetEncoded(AudioCodecInfo.G722));
        Assert.Throws<KeyNotFoundException>(() => announcement.GetPcm(16000));
    }

    [Fact]
    public void MissingFileIsAClearLoadError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"callswitch-missing-{Guid.NewGuid():N}.wav");
        var error = Assert.Throws<AnnouncementLoadException>(() => Announcement.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsFromDiskAndHashesTheFileBytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"callswitch-{Guid.NewGuid():N}.wav");
        var bytes = WaveFiles.Sine(new WaveFormat(22050, 16, 1), 440, TimeSpan.FromMilliseconds(500));
        File.WriteAllBytes(path, bytes);
        try
        {
            var announcement = Announcement.Load(path);
            Assert.Equal(path, announcement.Source);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), announcement.Sha256);
            Assert.Equal("PCM 16-bit, 1 channel(s), 22050 Hz", announcement.SourceFormat);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NotAWaveFileIsAClearLoadError()
    {
        var error = Assert.Throws<AnnouncementLoadException>(() => Announcement.FromWaveBytes("not a wav file at all"u8.ToArray(), "notes.txt"));
        Assert.Contains("notes.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable WAV", error.Message, StringComparison.Ordinal);
        Assert.Throws<AnnouncementLoadException>(() => Announcement.FromWaveBytes([], "empty.wav"));
    }

    [Fact]
    public void UnsupportedEncodingsAreClearLoadErrors()
    {
        var muLaw = WaveFiles.Build(WaveFormat.CreateMuLawFormat(8000, 1), new byte[800]);
        var error = Assert.Throws<AnnouncementLoadException>(() => Announcement.FromWaveBytes(muLaw, "mulaw.wav"));
        Assert.Contains("MuLaw", error.Message, StringComparison.Ordinal);

        var twelveBit = WaveFiles.Build(WaveFormat.CreateCustomFormat(WaveFormatEncoding.Pcm, 8000, 1, 16000, 2, 12), new byte[800]);
        Assert.Throws<AnnouncementLoadException>(() => Announcement.FromWaveBytes(twelveBit, "12bit.wav"));
    }

    [Fact]
    public void EmptyAndOverlongAudioAreLoadErrors()
    {
        var empty = WaveFiles.Build(new WaveFormat(8000, 16, 1), []);
        Assert.Contains("no audio", Assert.Throws<AnnouncementLoadException>(() => Announcement.FromWaveBytes(empty, "e.wav")).Message, StringComparison.Ordinal);

        var twoSeconds = WaveFiles.Sine(new WaveFormat(8000, 16, 1), 440, TimeSpan.FromSeconds(2));
        var options = new AnnouncementLoadOptions { MaxDuration = TimeSpan.FromSeconds(1) };
        Assert.Contains("more than", Assert.Throws<AnnouncementLoadException>(() => Announcement.FromWaveBytes(twoSeconds, "long.wav", options)).Message, StringComparison.Ordinal);
    }

    private static WaveFormat Parse(string name)
    {
        var parts = name.Split('-');
        var rate = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        var channels = parts[1] switch { "mono" => 1, "stereo" => 2, _ => 6 };
        return parts[0] switch
        {
            "float32" => WaveFormat.CreateIeeeFloatWaveFormat(rate, channels),
            "float64" => WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, rate, channels, rate * channels * 8, channels * 8, 64),
            "extensible24" => new WaveFormatExtensible(rate, 24, channels),
            _ => new WaveFormat(rate, int.Parse(parts[0][3..], System.Globalization.CultureInfo.InvariantCulture), channels),
        };
    }
}
