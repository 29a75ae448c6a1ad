namespace CallSwitch.Calls.Supervision;

/// <summary>The answer to <see cref="Control.ICallControl.JoinSupervisor"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Session">The session when joined; null otherwise.</param>
/// <param name="Detail">Why not, for the log (no prospect data).</param>
public sealed record SupervisionJoin(SupervisionJoinOutcome Outcome, SupervisionSession? Session, string? Detail = null);
