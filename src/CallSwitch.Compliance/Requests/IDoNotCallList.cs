namespace CallSwitch.Compliance.Requests;

/// <summary>
/// The switch's question on every outbound call: may this number be called in this campaign?
/// Answered from memory (<see cref="DoNotCallCache"/>): the call path never waits for the store.
/// </summary>
/// <remarks>Thread-safe; called on SIP threads.</remarks>
public interface IDoNotCallList
{
    /// <summary>Whether <paramref name="number"/> (E.164) is barred from every campaign, or from <paramref name="campaignId"/>.</summary>
    bool IsListed(string number, string? campaignId);
}
