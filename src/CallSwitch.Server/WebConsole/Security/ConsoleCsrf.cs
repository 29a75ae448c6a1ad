namespace CallSwitch.Server.WebConsole.Security;

/// <summary>Where the console's antiforgery token travels: a hidden form field, or a header on the script's requests.</summary>
public static class ConsoleCsrf
{
    /// <summary>The hidden field of every form.</summary>
    public const string FormField = "__csrf";

    /// <summary>The header of the script's POSTs (read from the page's meta tag).</summary>
    public const string Header = "X-CSRF-Token";
}
