using System.Diagnostics.CodeAnalysis;
using System.Net;
using CallSwitch.Calls.Routing;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Hosting;

/// <summary>What the call side of a switch runs with: media relay settings, routing and number normalisation.</summary>
public sealed record CallSetup
{
    /// <summary>The media relay: bind address, RTP port range, socket model.</summary>
    public MediaRelayOptions Relay { get; init; } = new() { BindAddress = IPAddress.Loopback, MinPort = 20000, MaxPort = 29999, SocketModel = RelaySocketModel.Epoll };

    /// <summary>The address written in SDP.</summary>
    public IPAddress MediaAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The routing table in force, read per call (a reload swaps what it returns).</summary>
    public Func<RoutingTable> Routing { get; init; } = () => RoutingTable.Empty;

    /// <summary>Dialled digits to E.164, or why they are not a valid number; by default only E.164 itself is accepted.</summary>
    public NumberNormalizer Normalize { get; init; } = AcceptE164;

    /// <summary>A connected call with no RTP from either party for this long is ended; zero disables.</summary>
    public TimeSpan RtpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The recordings' vault (keys and spool); null disables recording.</summary>
    public RecordingVault? Vault { get; init; }

    /// <summary>
    /// The folder of the call and recording metadata store (<c>switch.paths.data</c>), created at
    /// start; null: calls and recordings are not persisted.
    /// </summary>
    public string? DataPath { get; init; }

    /// <summary>
    /// Decides per call whether to record; <see cref="CallSwitch.Compliance.Rules.RecordingPolicy"/> when null.
    /// Internal: a seam for the test build only (the self-test's fault injection), never a setting.
    /// </summary>
    internal CallSwitch.Compliance.Rules.IRecordingPolicy? RecordingPolicy { get; init; }

    private static bool AcceptE164(string digits, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? reason)
    {
        bool valid = digits.StartsWith('+') && digits.Length is >= 8 and <= 16 && digits[1..].All(char.IsAsciiDigit);
        e164 = valid ? digits : null;
        reason = valid ? null : "the number is not in E.164 form (+ and 7 to 15 digits)";
        return valid;
    }
}
