using CallSwitch.Calls.Control;
using CallSwitch.Configuration;
using CallSwitch.Sip.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.Api;

/// <summary>
/// The HTTP API for the agents' CRM, on the switch's own host (Kestrel): live calls, and
/// recording start / pause / resume / opposition, by call id or by the agent's extension. Every
/// request needs a client's bearer token; every action is logged with the client, the call and
/// the outcome.
/// </summary>
/// <remarks>
/// <para>Routes (JSON; see <see cref="ApiRoutes"/> for the status codes):</para>
/// <list type="bullet">
/// <item><c>GET /api/v1/calls[?agent=EXT]</c>: the live calls the client may see.</item>
/// <item><c>GET /api/v1/calls/{id}</c>: one call.</item>
/// <item><c>POST /api/v1/calls/{id}/recording/{start|pause|resume|oppose}</c></item>
/// <item><c>POST /api/v1/agents/{ext}/recording/{start|pause|resume|oppose}</c>: the agent's
/// answered call (what a CRM knows: who is logged in, not SIP call ids).</item>
/// </list>
/// <para>No prospect number ever leaves through the API (data minimisation): the CRM has it already.</para>
/// </remarks>
public static class ApiHost
{
    /// <summary>Makes Kestrel listen on the API's address with the API's limits.</summary>
    public static void Listen(WebApplicationBuilder builder, ApiConfig api)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(api);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(api.Address, api.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ApiRoutes.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 256;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
    }

    /// <summary>Maps the API's routes.</summary>
    /// <param name="app">The switch's web application.</param>
    /// <param name="config">The API's section as it is now (clients are read per request, so reloads apply).</param>
    /// <param name="calls">The live calls, through the call-control façade.</param>
    /// <param name="access">The authorisation service: which client may act on which call.</param>
    /// <param name="time">The clock of the wrong-token limiter.</param>
    /// <param name="log">Where requests are logged.</param>
    public static void Map(WebApplication app, Func<ApiConfig?> config, ICallControl calls, Hosting.SwitchAccess access, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(config);
        var limiter = new AuthFailureLimiter(
            new AuthFailureLimiterOptions { MaxFailures = 10, Window = TimeSpan.FromMinutes(1), BlockDuration = TimeSpan.FromMinutes(5) },
            time);
        new ApiRoutes(new ApiClientAuthenticator(config, limiter), calls, access, log).Map(app);
    }
}
