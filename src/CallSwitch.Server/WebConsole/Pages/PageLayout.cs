using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>
/// The HTML around every page: header with the navigation the user may use, the language switch
/// and sign-out (a POST form with its antiforgery token), the page's skeleton, the words for the
/// scripts as JSON, and the scripts. No inline script or style: the content security policy
/// allows only the console's own files.
/// </summary>
public static class PageLayout
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>What a page is rendered with.</summary>
    /// <param name="Language">"en" or "fr".</param>
    /// <param name="Title">The title, already in the language.</param>
    /// <param name="PageId">The page's id (its script reads it).</param>
    /// <param name="User">The signed-in user; null on the sign-in page.</param>
    /// <param name="Navigation">The pages the user may open.</param>
    /// <param name="Csrf">The antiforgery token for the page's forms and script.</param>
    /// <param name="Body">The page's skeleton HTML (already encoded).</param>
    /// <param name="Script">The page's script, or null.</param>
    /// <param name="Return">The path the language switch comes back to.</param>
    public sealed record Frame(string Language, string Title, string PageId, string? User, IReadOnlyList<ConsolePage> Navigation, string Csrf, string Body, string? Script, string Return);

    /// <summary>The whole document.</summary>
    public static string Render(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        string lang = frame.Language;
        string other = lang == "fr" ? "en" : "fr";
        var html = new StringBuilder(4096);
        html.Append("<!doctype html>\n<html lang=\"").Append(lang).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"csrf\" content=\"").Append(Html.Encode(frame.Csrf)).Append("\">\n")
            .Append("<title>").Append(Html.Encode(frame.Title)).Append(" — ").Append(Html.Encode(ConsoleText.Get("app", lang))).Append("</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"/assets/console.css\">\n</head>\n<body data-page=\"").Append(Html.Encode(frame.PageId)).Append("\">\n")
            .Append("<header class=\"top\"><span class=\"brand\">").Append(Html.Encode(ConsoleText.Get("app", lang))).Append("</span>\n<nav aria-label=\"main\">");
        foreach (ConsolePage page in frame.Navigation)
        {
            html.Append("<a href=\"").Append(page.Path).Append("\">").Append(Html.Encode(ConsoleText.Get(page.TitleKey, lang))).Append("</a>");
        }

        html.Append("</nav>\n<div class=\"session\">")
            .Append("<a class=\"lang\" hreflang=\"").Append(other).Append("\" href=\"/language/").Append(other).Append("?return=").Append(Uri.EscapeDataString(frame.Return)).Append("\">")
            .Append(Html.Encode(ConsoleText.Get("language", lang))).Append("</a>");
        if (frame.User is { } user)
        {
            html.Append("<span class=\"user\">").Append(Html.Encode(user)).Append("</span>")
                .Append("<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"").Append(Security.ConsoleCsrf.FormField).Append("\" value=\"")
                .Append(Html.Encode(frame.Csrf)).Append("\"><button type=\"submit\" id=\"signout\">").Append(Html.Encode(ConsoleText.Get("signout", lang))).Append("</button></form>");
        }

        html.Append("</div></header>\n<main id=\"main\">\n<h1>").Append(Html.Encode(frame.Title)).Append("</h1>\n").Append(frame.Body).Append("\n</main>\n")
            .Append("<script type=\"application/json\" id=\"words\">").Append(Words(lang)).Append("</script>\n")
            .Append("<script src=\"/assets/common.js\"></script>\n");
        if (frame.Script is { } script)
        {
            html.Append("<script src=\"/assets/").Append(script).Append("\"></script>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Text made safe for HTML.</summary>
    public static string Encode(string text) => Html.Encode(text);

    // JSON inside a script element: '<' escaped so that no "</script>" can end it early.
    private static string Words(string language) =>
        JsonSerializer.Serialize(ConsoleText.All(language)).Replace("<", "\\u003c", StringComparison.Ordinal);
}
