using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>
/// The pages: each a skeleton rendered in the user's language (<see cref="PageBodies"/>) that its
/// script fills from the console's JSON routes. Each asks the gate first: a page a role may not
/// see answers 403 and the refusal is audited.
/// </summary>
internal static class PageRoutes
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (ConsolePage page in ConsolePage.All)
        {
            routes.MapGet(page.Path, async (HttpContext context, ConsoleGate gate) =>
            {
                (Compliance.Access.Principal? principal, IResult? refusal) = await gate.EnterAsync(context, page.Action).ConfigureAwait(false);
                if (refusal is not null)
                {
                    return refusal;
                }

                string language = ConsoleLanguage.Of(context.Request);
                string body = PageBodies.For(page, language, context.Request.RouteValues["id"] as string);
                return Results.Content(gate.Render(context, principal, page.TitleKey, page.Script[..^3], body, page.Script), "text/html; charset=utf-8");
            });
        }
    }
}
