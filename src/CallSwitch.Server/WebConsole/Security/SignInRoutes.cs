using System.Security.Claims;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.WebConsole.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallSwitch.Server.WebConsole.Security;

/// <summary>
/// Sign-in with the access model's users (PBKDF2 passwords, checked and audited by the user
/// directory), lockout after repeated failures (audited), sign-out, the language switch, and the
/// start page (the first page the user may open).
/// </summary>
internal static class SignInRoutes
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", StartAsync);
        routes.MapGet("/signin", (HttpContext context, ConsoleGate gate) => SignInPage(context, gate, null));
        routes.MapPost("/signin", SignInAsync);
        routes.MapPost("/signout", (Func<HttpContext, Task<IResult>>)SignOutAsync);
        routes.MapGet("/language/{code}", (HttpContext context, string code, string? @return) =>
        {
            if (ConsoleText.Languages.Contains(code))
            {
                context.Response.Cookies.Append(ConsoleLanguage.Cookie, code, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                    MaxAge = TimeSpan.FromDays(365),
                });
            }

            return Results.Redirect(LocalPath(@return));
        });
    }

    private static async Task<IResult> StartAsync(HttpContext context, ConsoleGate gate, ConsoleServices services)
    {
        if (await gate.PrincipalAsync(context).ConfigureAwait(false) is not { } principal)
        {
            return Results.Redirect("/signin");
        }

        ConsolePage? first = ConsolePage.Navigation.FirstOrDefault(p => ConsoleAccess.MayAnywhere(services.Authorizer, principal, p.Action));
        return first is null ? gate.Forbidden(context, principal) : Results.Redirect(first.Path);
    }

    private static IResult SignInPage(HttpContext context, ConsoleGate gate, string? errorKey, int status = StatusCodes.Status200OK)
    {
        string language = ConsoleLanguage.Of(context.Request);
        string Word(string key) => PageLayout.Encode(ConsoleText.Get(key, language));
        string back = PageLayout.Encode(LocalPath(context.Request.Query["return"]));
        string error = errorKey is null ? string.Empty : $"<p class=\"refused\" role=\"alert\" id=\"signin-error\">{Word(errorKey)}</p>";

        // The same token as the layout's: the antiforgery service keeps one per request.
        string token = PageLayout.Encode(context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(context).RequestToken ?? string.Empty);
        string body = $"""
            {error}<form method="post" action="/signin" class="signin">
            <input type="hidden" name="{ConsoleCsrf.FormField}" value="{token}">
            <input type="hidden" name="return" value="{back}">
            <label>{Word("signin.user")} <input name="user" id="user" autocomplete="username" required autofocus></label>
            <label>{Word("signin.password")} <input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" id="signin">{Word("signin.title")}</button>
            </form>
            """;
        return Results.Content(gate.Render(context, null, "signin.title", "signin", body, null), "text/html; charset=utf-8", statusCode: status);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ConsoleGate gate, ConsoleServices services, SignInLockout lockout)
    {
        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string name = form["user"].ToString().Trim();
        string password = form["password"].ToString();
        string from = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (name.Length == 0 || password.Length == 0)
        {
            return SignInPage(context, gate, "signin.failed", StatusCodes.Status400BadRequest);
        }

        if (await lockout.LockedUntilAsync(name, context.RequestAborted).ConfigureAwait(false) is { } until)
        {
            // Not even checked: a locked name cannot be guessed at. The refusal is audited all the same.
            await AuditLockedAsync(services, name, from, until, context.RequestAborted).ConfigureAwait(false);
            return SignInPage(context, gate, "signin.locked", StatusCodes.Status429TooManyRequests);
        }

        UserDirectory users = await services.UsersAsync().ConfigureAwait(false);
        Principal? principal = await users.SignInAsync(name, password, "console " + from, context.RequestAborted).ConfigureAwait(false);
        if (principal is null || principal.Grants.Count == 0)
        {
            if (await lockout.FailedAsync(name, context.RequestAborted).ConfigureAwait(false) is { } locked)
            {
                await AuditLockedAsync(services, name, from, locked, context.RequestAborted).ConfigureAwait(false);
                return SignInPage(context, gate, "signin.locked", StatusCodes.Status429TooManyRequests);
            }

            return SignInPage(context, gate, "signin.failed", StatusCodes.Status401Unauthorized);
        }

        await lockout.SucceededAsync(name, context.RequestAborted).ConfigureAwait(false);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, principal.Name)], ConsoleHost.Scheme);
        await context.SignInAsync(ConsoleHost.Scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return Results.Redirect(LocalPath(form["return"]));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(ConsoleHost.Scheme).ConfigureAwait(false);
        return Results.Redirect("/signin");
    }

    private static Task AuditLockedAsync(ConsoleServices services, string name, string from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        string actor = UserValidation.NameProblem(name) is null ? name : "(invalid name)";
        return services.Store.AppendAuditAsync(
            new AuditEvent(services.Time.GetUtcNow(), actor, AuditAction.LoginFailed, null, UserDirectory.SignInPurpose,
                FormattableString.Invariant($"from=console {from} reason=locked out until {until:yyyy-MM-dd'T'HH:mm:ss'Z'}")),
            cancellationToken);
    }

    /// <summary>A path on this site only (an open redirect would send a signed-in user anywhere).</summary>
    private static string LocalPath(string? path) =>
        path is { Length: > 1 } p && p[0] == '/' && p[1] != '/' && p[1] != '\\' ? p : "/";
}
