using CallSwitch.Compliance.Requests;

namespace CallSwitch.Calls.Tests.Routing;

/// <summary>A do-not-call list of fixed entries (number, campaign or null for every campaign).</summary>
internal sealed class ListedNumbers(params (string Number, string? Campaign)[] entries) : IDoNotCallList
{
    public bool IsListed(string number, string? campaignId) =>
        entries.Any(e => e.Number == number && (e.Campaign is null || e.Campaign == campaignId));
}
