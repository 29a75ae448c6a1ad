using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Announcements;

/// <summary>
/// An announcement pre-encoded for one codec as consecutive 20 ms RTP payloads (the last one
/// padded with silence). Immutable after load and shared by every call that plays it.
/// </summary>
public sealed class EncodedAnnouncement
{
    private readonly byte[] _payloads;

    internal EncodedAnnouncement(Announcement announcement, AudioCodecInfo codec, byte[] payloads)
    {
        Announcement = announcement;
        Codec = codec;
        _payloads = payloads;
        FrameCount = payloads.Length / codec.BytesPerFrame;
    }

    /// <summary>The announcement this was encoded from (its source and SHA-256).</summary>
    public Announcement Announcement { get; }

    /// <summary>The codec of the payloads.</summary>
    public AudioCodecInfo Codec { get; }

    /// <summary>Number of 20 ms frames.</summary>
    public int FrameCount { get; }

    /// <summary>Bytes in each frame's payload (160 for PCMU, PCMA and G.722).</summary>
    public int FrameLength => Codec.BytesPerFrame;

    /// <summary>Playing time of all frames.</summary>
    public TimeSpan Duration => AudioCodecInfo.FrameDuration * FrameCount;

    /// <summary>The payload of frame <paramref name="index"/>: a read-only view of shared memory, valid for the process lifetime.</summary>
    public ReadOnlySpan<byte> GetFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount);
        return _payloads.AsSpan(index * FrameLength, FrameLength);
    }

    /// <summary>Creates a player for one playback (one call leg); cheap, allocates only the player.</summary>
    public AnnouncementPlayer CreatePlayer() => new(this);
}
