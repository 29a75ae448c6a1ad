namespace CallSwitch.Sip.Transport.Loopback;

/// <summary>
/// How a <see cref="LoopbackNetwork"/> mistreats packets. Drop, duplication and jitter apply to
/// unreliable (UDP-like) channels only: reliable channels deliver every message once and in order,
/// after <see cref="Delay"/>.
/// </summary>
public sealed record LoopbackLinkOptions
{
    /// <summary>Chance, 0 to 1, that a datagram is lost.</summary>
    public double DropProbability { get; init; }

    /// <summary>Chance, 0 to 1, that a datagram arrives twice.</summary>
    public double DuplicateProbability { get; init; }

    /// <summary>Time from send to delivery, measured on the network's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Extra random delay, 0 to this, per datagram (datagrams may then arrive out of order).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>When true every send fails with <see cref="SipTransportException"/> (a broken link or interface).</summary>
    public bool FailSends { get; init; }

    /// <summary>A perfect link: nothing lost, duplicated or delayed.</summary>
    public static LoopbackLinkOptions Perfect { get; } = new();
}
