namespace CallSwitch.Calls.Sessions;

/// <summary>A call's phase and answer time, swapped whole so that a reader on another thread sees both from the same instant.</summary>
internal sealed record CallProgress(CallPhase Phase, DateTimeOffset? AnsweredAt);
