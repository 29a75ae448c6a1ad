using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Announcements;

/// <summary>How <see cref="Announcement.Load(string, AnnouncementLoadOptions?)"/> prepares an announcement.</summary>
public sealed record AnnouncementLoadOptions
{
    /// <summary>The defaults: every codec of <see cref="CodecRegistry.Default"/>, at most 10 minutes.</summary>
    public static AnnouncementLoadOptions Default { get; } = new();

    /// <summary>Where the encoders come from.</summary>
    public CodecRegistry Registry { get; init; } = CodecRegistry.Default;

    /// <summary>The codecs to pre-encode for; null means every codec of <see cref="Registry"/>.</summary>
    public IReadOnlyList<AudioCodecInfo>? Codecs { get; init; }

    /// <summary>Longest accepted announcement: a guard against loading a multi-hour file into memory.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest accepted file, checked before reading it.</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;
}
