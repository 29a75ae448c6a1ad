namespace CallSwitch.Sip.Auth;

/// <summary>What <see cref="AuthFailureLimiter.RecordFailure(string)"/> did with a failure.</summary>
/// <param name="IsBlocked">The source is blocked now.</param>
/// <param name="BecameBlocked">This failure started the block: log it once, here.</param>
/// <param name="FailuresInWindow">Failures counted in the sliding window (0 right after a block starts).</param>
/// <param name="BlockedUntil">End of the current block, when blocked.</param>
/// <param name="BlockCount">How many times this source has been blocked within its retained history.</param>
public readonly record struct AuthFailureOutcome(
    bool IsBlocked,
    bool BecameBlocked,
    int FailuresInWindow,
    DateTimeOffset? BlockedUntil,
    int BlockCount);
