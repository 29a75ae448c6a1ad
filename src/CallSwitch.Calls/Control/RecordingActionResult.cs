namespace CallSwitch.Calls.Control;

/// <summary>The outcome of a recording action and the call just after it (null when there is no such call).</summary>
public sealed record RecordingActionResult(RecordingActionOutcome Outcome, LiveCallSnapshot? Call)
{
    /// <summary>Whether the recording is now as asked (<see cref="RecordingActionOutcome.Done"/> or <see cref="RecordingActionOutcome.AlreadySo"/>).</summary>
    public bool Succeeded => Outcome is RecordingActionOutcome.Done or RecordingActionOutcome.AlreadySo;
}
