using CallSwitch.Configuration;
using CallSwitch.Server.WebConsole.Live;
using CallSwitch.Server.WebConsole.Recordings;
using CallSwitch.Server.WebConsole.Requests;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallSwitch.Server.WebConsole;

/// <summary>
/// The web console in the switch's one host: its own Kestrel listener ('console' section,
/// loopback by default), cookie sessions, antiforgery tokens, and the pages and routes of
/// <see cref="ConsolePipeline"/>. Everything it shows or does goes through the one authorisation
/// service and the audited access points of Compliance.
/// </summary>
/// <remarks>
/// Put a TLS reverse proxy in front of it (nginx, HAProxy, Caddy) and list the proxy in
/// <c>console.trusted_proxies</c>: the proxy's X-Forwarded-Proto makes the session cookie Secure.
/// The data-protection keys that seal cookies and tokens live in memory only: a restart signs
/// everyone out, and no key is left on disk.
/// </remarks>
public static class ConsoleHost
{
    /// <summary>The cookie authentication scheme of the console's sessions.</summary>
    public const string Scheme = "callswitch-console";

    /// <summary>The largest request body the console accepts (forms and annotations).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Registers the console when the configuration has a 'console' section; does nothing otherwise.</summary>
    public static void AddConsole(WebApplicationBuilder builder, SwitchConfig config)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Console is not { } console)
        {
            return;
        }

        var listener = new ConsoleListener();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(console.Address, console.Port, listener.Bind);
        });

        IServiceCollection services = builder.Services;
        services.AddSingleton(listener);
        services.AddSingleton(console);
        services.AddSingleton<ConsoleServices>();
        services.AddSingleton<ConsoleGate>();
        services.AddSingleton<SignInLockout>();
        services.AddSingleton<ListeningTickets>();
        services.AddSingleton<RequestDesk>();
        services.AddSingleton<LiveBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveBoard>());
        services.AddDataProtection().UseEphemeralDataProtectionProvider().SetApplicationName("callswitch-console");
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "cs-session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(console.SessionMinutes);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.Events = new CookieAuthenticationEvents
            {
                // The script's requests get a status, not a sign-in page.
                OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden),
            };
        });
        services.AddAntiforgery(csrf =>
        {
            csrf.Cookie.Name = "cs-csrf";
            csrf.Cookie.SameSite = SameSiteMode.Strict;
            csrf.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            csrf.FormFieldName = ConsoleCsrf.FormField;
            csrf.HeaderName = ConsoleCsrf.Header;
        });
        services.AddSingleton<IStartupFilter, ConsolePipeline>();
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
