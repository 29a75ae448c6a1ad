using System.Runtime.CompilerServices;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Tests.Codecs;

namespace CallSwitch.Media.Tests.Announcements;

/// <summary>The default GDPR notices shipped in config/announcements (see its README and generate.sh).</summary>
public sealed class ShippedAnnouncementTests
{
    [Theory]
    [InlineData("gdpr-notice-en.wav", "4e35b954f9cb92a9cb046959687ed1b5a0da6ab9bdfa5735f9f44ba6626944de")]
    [InlineData("gdpr-notice-fr.wav", "9772e57f0b354cf3058e86b9ff3a6e647623d53795b1b4592f6fa491e3ec6055")]
    public void ShippedNoticeLoadsAndIsSpeech(string file, string sha256)
    {
        var path = Path.Combine(AnnouncementsFolder(), file);
        var announcement = Announcement.Load(path);

        // The hash is what recordings store: it must not change unless the file does.
        Assert.Equal(sha256, announcement.Sha256);
        Assert.Equal(sha256, Announcement.Load(path).Sha256);

        Assert.InRange(announcement.Duration.TotalSeconds, 2, 15);
        Assert.Equal("PCM 16-bit, 1 channel(s), 16000 Hz", announcement.SourceFormat);
        foreach (var rate in new[] { 8000, 16000 })
        {
            var rms = SignalMath.Rms(announcement.GetPcm(rate).Span);
            Assert.True(rms > 1000, $"{file} at {rate} Hz: RMS {rms:F0} is near silence");
        }

        foreach (var codec in CodecRegistry.Default.Codecs)
        {
            var encoded = announcement.GetEncoded(codec);
            Assert.Equal(announcement.Duration.TotalMilliseconds, encoded.Duration.TotalMilliseconds, 20.0 + 1e-6);
        }
    }

    private static string AnnouncementsFolder([CallerFilePath] string thisFile = "")
    {
        // Source-relative, so it works wherever the build output goes (CS_ARTIFACTS).
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
        return Path.Combine(repository, "config", "announcements");
    }
}
