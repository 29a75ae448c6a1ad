using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>
/// Picks the page's language: the user's choice (a cookie set by the switch in the header),
/// else the browser's Accept-Language in its order of preference, else English.
/// </summary>
public static class ConsoleLanguage
{
    /// <summary>The cookie holding the user's choice.</summary>
    public const string Cookie = "cs-lang";

    /// <summary>The language of this request: "en" or "fr".</summary>
    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cookies.TryGetValue(Cookie, out string? chosen) && ConsoleText.Languages.Contains(chosen))
        {
            return chosen;
        }

        IList<StringWithQualityHeaderValue> accepted = request.GetTypedHeaders().AcceptLanguage;
        foreach (StringWithQualityHeaderValue range in accepted.OrderByDescending(a => a.Quality ?? 1))
        {
            string tag = range.Value.Value ?? string.Empty;
            string primary = tag.Split('-')[0].ToLowerInvariant();
            if (ConsoleText.Languages.Contains(primary))
            {
                return primary;
            }
        }

        return ConsoleText.Languages[0];
    }
}
