namespace CallSwitch.Server.SelfTest;

/// <summary>How one check of the self-test came out.</summary>
public enum SelfTestOutcome
{
    /// <summary>The switch did what the rule says.</summary>
    Ok,

    /// <summary>It did not: the line says what was expected and what was measured.</summary>
    Fail,

    /// <summary>The rule makes the check meaningless (nothing is recorded, so no channel to check); says why.</summary>
    NotApplicable,
}
