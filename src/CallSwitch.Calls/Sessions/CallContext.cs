using System.Net;
using CallSwitch.Calls.Recording;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>What every call of one switch shares: SIP layers, media relay and clock, time, logs, settings.</summary>
public sealed record CallContext
{
    /// <summary>The transaction layer.</summary>
    public required SipTransactionLayer Transactions { get; init; }

    /// <summary>The transport (for 2xx retransmissions, which belong to the TU).</summary>
    public required ISipTransport Transport { get; init; }

    /// <summary>The media relay.</summary>
    public required MediaRelay Relay { get; init; }

    /// <summary>The 20 ms clock that paces announcements.</summary>
    public required MediaClock Clock { get; init; }

    /// <summary>The address written in our SDP.</summary>
    public required IPAddress MediaAddress { get; init; }

    /// <summary>Our SIP listener for a protocol (Contact headers, Via, the local end of flows).</summary>
    public required Func<SipProtocol, IPEndPoint> Listener { get; init; }

    /// <summary>The live calls.</summary>
    public required CallRegistry Registry { get; init; }

    /// <summary>Time.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>The log.</summary>
    public required ILogger Log { get; init; }

    /// <summary>Records calls under their campaign's rule; null when recording is not set up (no key, no spool).</summary>
    public RecordingService? Recording { get; init; }

    /// <summary>The Server/User-Agent value.</summary>
    public string ServerName { get; init; } = "CallSwitch";

    /// <summary>A connected call with no RTP from either party for this long is ended; zero disables.</summary>
    public TimeSpan RtpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>RFC 3261 T1, for 2xx retransmissions.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RFC 3261 T2.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);
}
