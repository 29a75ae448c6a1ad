using System.Net;
using CallSwitch.Calls.Control;
using CallSwitch.Configuration;
using CallSwitch.Sip.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.Api;

/// <summary>
/// The HTTP API for the agents' CRM, on Kestrel: live calls, and recording start / pause /
/// resume / opposition, by call id or by the agent's extension. Every request needs a client's
/// bearer token; every action is logged with the client, the call and the outcome.
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
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The address and port listened on (the real port when 0 was configured).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Starts listening.</summary>
    /// <param name="config">The API's section as it is now (clients are read per request, so reloads apply).</param>
    /// <param name="calls">The live calls, through the call-control façade.</param>
    /// <param name="time">The clock of the wrong-token limiter.</param>
    /// <param name="log">Where requests are logged.</param>
    /// <exception cref="IOException">The address is in use or cannot be bound.</exception>
    public static async Task<ApiHost> StartAsync(Func<ApiConfig?> config, ICallControl calls, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        ApiConfig start = config() ?? throw new ArgumentException("the configuration has no 'api' section", nameof(config));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "callswitch",
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Requests are logged by the routes themselves, through the switch's logger.
        builder.Logging.ClearProviders();

        // The switch owns the process: no console lifetime taking SIGTERM/SIGINT and stopping
        // the API on its own, in a race with the switch's ordered shutdown.
        builder.Services.AddSingleton<IHostLifetime, SwitchOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(start.Address, start.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ApiRoutes.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 256;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        WebApplication app = builder.Build();
        var limiter = new AuthFailureLimiter(
            new AuthFailureLimiterOptions { MaxFailures = 10, Window = TimeSpan.FromMinutes(1), BlockDuration = TimeSpan.FromMinutes(5) },
            time);
        new ApiRoutes(new ApiClientAuthenticator(config, limiter), calls, log).Map(app);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"the API cannot listen on {start.Address}:{start.Port}: {e.Message}", e);
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new IPEndPoint(start.Address, new Uri(address).Port);
        log.Information("HTTP API listening on {EndPoint} for {Clients} client(s)", bound, start.Clients.Count);
        return new ApiHost(app, bound);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Requests still running after 5 s: their connections are closed with the host.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A host lifetime that leaves signals to the switch: the API starts and stops when the switch says.</summary>
    private sealed class SwitchOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
