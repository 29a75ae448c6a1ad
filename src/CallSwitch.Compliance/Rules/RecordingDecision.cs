namespace CallSwitch.Compliance.Rules;

/// <summary>What a rule decided for one call, and why (logged with the rule's id).</summary>
/// <param name="Start">When the recording starts.</param>
/// <param name="Reason">A short reason for the log, e.g. "sampled in: 17 &lt; 25".</param>
public sealed record RecordingDecision(RecordingStart Start, string Reason);
