namespace CallSwitch.Recording.Ogg;

/// <summary>The header_type_flag bits of an Ogg page (RFC 3533 §6).</summary>
[Flags]
public enum OggPageFlags : byte
{
    /// <summary>A page that starts with a fresh packet and is neither first nor last.</summary>
    None = 0,

    /// <summary>The page's first packet continues a packet from the previous page.</summary>
    Continued = 0x01,

    /// <summary>Beginning of stream: the first page of a logical bitstream.</summary>
    BeginningOfStream = 0x02,

    /// <summary>End of stream: the last page of a logical bitstream.</summary>
    EndOfStream = 0x04,
}
