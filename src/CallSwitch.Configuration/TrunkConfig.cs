namespace CallSwitch.Configuration;

/// <summary>A SIP trunk to a carrier (an entry of 'trunks').</summary>
public sealed record TrunkConfig
{
    /// <summary>The trunk's id, referenced by campaigns.</summary>
    public required string Id { get; init; }

    /// <summary>The carrier's host name or IP address.</summary>
    public required string Host { get; init; }

    /// <summary>The carrier's port.</summary>
    public int Port { get; init; } = 5060;

    /// <summary>The transport towards the carrier (udp or tcp).</summary>
    public TransportProtocol Transport { get; init; } = TransportProtocol.Udp;

    /// <summary>The username for the carrier's digest challenge, when it challenges.</summary>
    public string? Username { get; init; }

    /// <summary>
    /// The password for the carrier's digest challenge. The carrier gives it in clear, and the
    /// digest client needs it in clear (the carrier's realm is only known from its challenge),
    /// so it is kept usable but masked whenever printed.
    /// </summary>
    public Secret? Password { get; init; }

    /// <summary>The environment variable the password was read from, when it came from one.</summary>
    public string? PasswordEnv { get; init; }

    /// <summary>The default caller id (E.164) for calls through this trunk.</summary>
    public string? CallerId { get; init; }

    /// <summary>The codecs offered to the carrier, most preferred first.</summary>
    public IReadOnlyList<CodecName> Codecs { get; init; } = DefaultCodecs;

    /// <summary>The codecs offered when a trunk names none: G.711 A-law (Europe's) first, then µ-law.</summary>
    public static IReadOnlyList<CodecName> DefaultCodecs { get; } = [CodecName.Pcma, CodecName.Pcmu];

    /// <summary>Most simultaneous calls the carrier accepts on this trunk.</summary>
    public required int MaxChannels { get; init; }

    /// <summary>The domain of the From header towards the carrier, when it wants a particular one.</summary>
    public string? FromDomain { get; init; }
}
