using System.Net;
using CallSwitch.Configuration;
using CallSwitch.Server.WebConsole.Admin;
using CallSwitch.Server.WebConsole.Live;
using CallSwitch.Server.WebConsole.Pages;
using CallSwitch.Server.WebConsole.Recordings;
using CallSwitch.Server.WebConsole.Requests;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.WebConsole;

/// <summary>
/// The console's pipeline, on its own listener only: trusted proxies' forwarded headers, security
/// headers, the session cookie, the antiforgery check of every state-changing request, WebSockets,
/// then its routes. Requests on other listeners (the API, /metrics) never enter it, and it never
/// falls through to theirs.
/// </summary>
internal sealed class ConsolePipeline : IStartupFilter
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private readonly ConsoleListener _listener;
    private readonly ConsoleConfig _config;

    public ConsolePipeline(ConsoleListener listener, ConsoleConfig config)
    {
        _listener = listener;
        _config = config;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(_listener.Owns, Build);
        next(app);
    };

    private void Build(IApplicationBuilder console)
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (IPAddress proxy in _config.TrustedProxies)
        {
            forwarded.KnownProxies.Add(proxy);
        }

        console.UseForwardedHeaders(forwarded);
        console.Use(SecurityHeaders);
        console.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        console.UseRouting();
        console.UseAuthentication();
        console.Use(CheckAntiforgery);
        console.UseEndpoints(routes =>
        {
            SignInRoutes.Map(routes);
            AssetRoutes.Map(routes);
            PageRoutes.Map(routes);
            LiveCallRoutes.Map(routes);
            RecordingRoutes.Map(routes);
            AdminRoutes.Map(routes);
            RequestRoutes.Map(routes);
        });
        console.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = ConsoleHost.MaxBodyBytes;
        }

        return next();
    }

    /// <summary>Every request that changes something carries the antiforgery token (form field or header), or is refused.</summary>
    private static async Task CheckAntiforgery(HttpContext context, Func<Task> next)
    {
        string method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            await next().ConfigureAwait(false);
            return;
        }

        IAntiforgery antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException e)
        {
            context.RequestServices.GetRequiredService<ILogger>().Warning(
                "Console refused {Method} {Path} from {Client}: {Reason}", method, context.Request.Path.Value, context.Connection.RemoteIpAddress, e.Message);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("refused: the request has no valid antiforgery (CSRF) token; reload the page", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await next().ConfigureAwait(false);
    }
}
