using CallSwitch.Compliance.Access;

namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>One page of the console: its path, the action a user must be allowed somewhere to see it, its title and its script.</summary>
/// <param name="Path">The page's path.</param>
/// <param name="Action">The right it needs (asked of the authorisation service).</param>
/// <param name="TitleKey">Its title in <see cref="ConsoleText"/>.</param>
/// <param name="Script">Its script under /assets.</param>
public sealed record ConsolePage(string Path, AccessAction Action, string TitleKey, string Script)
{
    /// <summary>Live calls: supervisors in their scope.</summary>
    public static ConsolePage Calls { get; } = new("/calls", AccessAction.SuperviseListen, "nav.calls", "calls.js");

    /// <summary>Recordings: whoever may search them.</summary>
    public static ConsolePage Recordings { get; } = new("/recordings", AccessAction.SearchRecordings, "nav.recordings", "recordings.js");

    /// <summary>One recording's player (the recording itself is checked again).</summary>
    public static ConsolePage Player { get; } = new("/recordings/{id}", AccessAction.SearchRecordings, "nav.recordings", "player.js");

    /// <summary>Data-subject requests and the do-not-call list: the dpo.</summary>
    public static ConsolePage Requests { get; } = new("/requests", AccessAction.Requests, "nav.requests", "requests.js");

    /// <summary>Legal holds: the dpo.</summary>
    public static ConsolePage Holds { get; } = new("/holds", AccessAction.Holds, "nav.holds", "holds.js");

    /// <summary>Indicators.</summary>
    public static ConsolePage Indicators { get; } = new("/indicators", AccessAction.Kpi, "nav.indicators", "indicators.js");

    /// <summary>The running configuration's campaigns and rules: the admin.</summary>
    public static ConsolePage Campaigns { get; } = new("/campaigns", AccessAction.Config, "nav.campaigns", "campaigns.js");

    /// <summary>The audit log: the dpo.</summary>
    public static ConsolePage Audit { get; } = new("/audit", AccessAction.AuditRead, "nav.audit", "audit.js");

    /// <summary>Every page, in the navigation's order.</summary>
    public static IReadOnlyList<ConsolePage> All { get; } = [Calls, Recordings, Player, Requests, Holds, Indicators, Campaigns, Audit];

    /// <summary>The pages listed in the navigation.</summary>
    public static IReadOnlyList<ConsolePage> Navigation { get; } = [Calls, Recordings, Requests, Holds, Indicators, Campaigns, Audit];
}
