using CallSwitch.Compliance.Access;
using CallSwitch.Server.WebConsole.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace CallSwitch.Server.WebConsole.Security;

/// <summary>
/// The door of every console route: who is signed in (the session's name, looked up in the user
/// directory at each request, so a disabled user is out at once), and whether the one
/// authorisation service lets them do the route's action; a refusal is audited by the guard and
/// answered 403 (401 or the sign-in page when nobody is signed in).
/// </summary>
public sealed class ConsoleGate
{
    private readonly ConsoleServices _services;
    private readonly IAntiforgery _antiforgery;

    /// <summary>Creates the gate.</summary>
    public ConsoleGate(ConsoleServices services, IAntiforgery antiforgery)
    {
        _services = services;
        _antiforgery = antiforgery;
    }

    /// <summary>The signed-in user's principal; null when nobody is, or the user is unknown or disabled now.</summary>
    public async Task<Principal?> PrincipalAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity is not { IsAuthenticated: true, Name: { } name })
        {
            return null;
        }

        Principal? principal = (await _services.UsersAsync().ConfigureAwait(false)).Find(name);
        return principal is { Grants.Count: > 0 } ? principal : null;
    }

    /// <summary>Lets a signed-in user through when they may do <paramref name="action"/> somewhere; otherwise the refusal to answer with.</summary>
    public async Task<(Principal? Principal, IResult? Refusal)> EnterAsync(HttpContext context, AccessAction action)
    {
        Principal? principal = await PrincipalAsync(context).ConfigureAwait(false);
        if (principal is null)
        {
            return (null, IsApi(context) ? Results.Unauthorized() : Results.Redirect("/signin?return=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)));
        }

        if (ConsoleAccess.MayAnywhere(_services.Authorizer, principal, action))
        {
            return (principal, null);
        }

        // Asked again through the guard so that the refusal is written to the audit log.
        await _services.Guard.CheckAsync(principal, action, AccessResource.System, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        return (null, Forbidden(context, principal));
    }

    /// <summary>Checks one action on one resource (a call, a recording); a denial is audited and answered 403.</summary>
    public async Task<IResult?> DemandAsync(HttpContext context, Principal principal, AccessAction action, AccessResource resource, AccessPurpose? purpose = null)
    {
        AccessDecision decision = await _services.Guard.CheckAsync(principal, action, resource, purpose, context.RequestAborted).ConfigureAwait(false);
        return decision.Allowed ? null : Forbidden(context, principal, decision.Reason);
    }

    /// <summary>The 403 answer: a JSON reason for the script, a page for the browser.</summary>
    public IResult Forbidden(HttpContext context, Principal principal, string? reason = null)
    {
        if (IsApi(context))
        {
            return Results.Json(new { error = reason ?? "not allowed" }, statusCode: StatusCodes.Status403Forbidden);
        }

        string language = ConsoleLanguage.Of(context.Request);
        string body = "<p class=\"refused\">" + PageLayout.Encode(ConsoleText.Get("forbidden.text", language)) + "</p>";
        return Results.Content(Render(context, principal, "forbidden.title", "forbidden", body, null), "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>A page for a signed-in user: the navigation they may use, a fresh antiforgery token.</summary>
    public string Render(HttpContext context, Principal? principal, string titleKey, string pageId, string body, string? script)
    {
        ArgumentNullException.ThrowIfNull(context);
        string language = ConsoleLanguage.Of(context.Request);
        IReadOnlyList<ConsolePage> navigation = principal is null
            ? []
            : [.. ConsolePage.Navigation.Where(p => ConsoleAccess.MayAnywhere(_services.Authorizer, principal, p.Action))];
        string token = _antiforgery.GetAndStoreTokens(context).RequestToken ?? string.Empty;
        return PageLayout.Render(new PageLayout.Frame(
            language,
            ConsoleText.Get(titleKey, language),
            pageId,
            principal?.Name,
            navigation,
            token,
            body,
            script,
            context.Request.Path + context.Request.QueryString));
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
}
