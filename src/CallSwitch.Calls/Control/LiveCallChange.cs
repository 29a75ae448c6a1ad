namespace CallSwitch.Calls.Control;

/// <summary>One change to the live list: what happened and the call as it is now.</summary>
/// <param name="Kind">Joined, changed phase, or left.</param>
/// <param name="Call">The call after the change (its phase <see cref="Sessions.CallPhase.Ended"/> once it left).</param>
public sealed record LiveCallChange(LiveCallChangeKind Kind, LiveCallSnapshot Call);
