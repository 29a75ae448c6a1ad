using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Transport;

/// <summary>Settings of a <see cref="TcpChannel"/>.</summary>
public sealed record TcpChannelOptions
{
    /// <summary>How long an outgoing connect may take before the send fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A connection with nothing read or written for this long is closed. RFC 5626 keep-alives
    /// count as traffic, so a registered agent that pings keeps its connection. Infinite
    /// (<see cref="Timeout.InfiniteTimeSpan"/>) disables the check.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often idle connections are looked for; by default a quarter of <see cref="IdleTimeout"/>, at least a second.</summary>
    public TimeSpan? IdleCheckInterval { get; init; }

    /// <summary>Most connections open at once (accepted and outgoing); more are refused.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Listen backlog.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>A send that waits longer than this for the peer to read (a full TCP window) fails and closes the connection.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Framing limits (largest head and message).</summary>
    public SipParserLimits Limits { get; init; } = SipParserLimits.Default;

    /// <summary>The clock for timeouts (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The defaults.</summary>
    public static TcpChannelOptions Default { get; } = new();
}
