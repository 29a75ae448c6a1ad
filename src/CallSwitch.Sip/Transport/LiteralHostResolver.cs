using System.Net;

namespace CallSwitch.Sip.Transport;

/// <summary>A resolver without DNS: <c>localhost</c> is the loopback addresses, every other name is unknown.</summary>
public sealed class LiteralHostResolver : ISipHostResolver
{
    private static readonly IReadOnlyList<IPAddress> Localhost = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>The shared instance.</summary>
    public static LiteralHostResolver Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.Equals("localhost.", StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(Localhost);
        }

        return ValueTask.FromResult<IReadOnlyList<IPAddress>>(SipRouting.TryParseHost(host, out IPAddress? address) ? [address] : []);
    }
}
