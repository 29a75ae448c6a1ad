using System.Net;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Turns a host name of a SIP URI into addresses. The default <see cref="LiteralHostResolver"/>
/// knows only <c>localhost</c>; a DNS (RFC 3263 NAPTR/SRV/A/AAAA) resolver comes later.
/// </summary>
public interface ISipHostResolver
{
    /// <summary>The addresses of <paramref name="host"/> in preference order; empty when unknown. Thread-safe.</summary>
    ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default);
}
