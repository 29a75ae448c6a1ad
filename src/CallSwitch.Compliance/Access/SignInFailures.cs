namespace CallSwitch.Compliance.Access;

/// <summary>A user name's failed sign-ins in a row, as kept across restarts (<see cref="ISignInFailureStore"/>).</summary>
/// <param name="Name">The name tried (it may name no user: unknown names are counted alike).</param>
/// <param name="Failures">Failures since the last success or the last lockout's end.</param>
/// <param name="LastFailureAt">When the last one happened.</param>
/// <param name="LockedUntil">Until when the name is locked out; null when it is not.</param>
public sealed record SignInFailures(string Name, int Failures, DateTimeOffset LastFailureAt, DateTimeOffset? LockedUntil);
