using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CallSwitch.Server.WebConsole;

/// <summary>
/// The console's own Kestrel listener: requests arriving on it go to the console's pipeline and
/// nowhere else (the HTTP API and /metrics live on their own listener).
/// </summary>
public sealed class ConsoleListener
{
    private ListenOptions? _options;

    /// <summary>The address and port actually listened on once the host started (the real port when 0 was configured); null before.</summary>
    public IPEndPoint? EndPoint => _options?.IPEndPoint is { Port: > 0 } bound ? bound : null;

    /// <summary>Whether a request arrived on the console's listener.</summary>
    internal bool Owns(Microsoft.AspNetCore.Http.HttpContext context) =>
        EndPoint is { } end && context.Connection.LocalPort == end.Port;

    internal void Bind(ListenOptions options) => _options = options;
}
