namespace CallSwitch.Server.SelfTest;

/// <summary>One line of the self-test: a check on one campaign's test calls and its outcome.</summary>
/// <param name="Campaign">The campaign's id.</param>
/// <param name="Number">The check's number (1 notice … 7 unauthorised listening; 0 when the test call itself could not be made).</param>
/// <param name="Name">What is checked, in a few words.</param>
/// <param name="Outcome">Ok, fail or not applicable.</param>
/// <param name="Detail">What was measured, or precisely what went wrong.</param>
public sealed record SelfTestCheck(string Campaign, int Number, string Name, SelfTestOutcome Outcome, string Detail)
{
    /// <summary>The line as printed: <c>ok   demo-fr 3. channels: …</c>.</summary>
    public override string ToString()
    {
        string outcome = Outcome switch
        {
            SelfTestOutcome.Ok => "ok  ",
            SelfTestOutcome.Fail => "FAIL",
            _ => "n/a ",
        };
        return $"{outcome} {Campaign} {Number}. {Name}: {Detail}";
    }
}
