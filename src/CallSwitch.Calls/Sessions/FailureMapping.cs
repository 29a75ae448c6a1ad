namespace CallSwitch.Calls.Sessions;

/// <summary>
/// The status sent back to the caller when the callee leg fails (RFC 3261 §16.7 step 6 as a
/// guide for a B2BUA): busy, no answer and refusals pass through so the agent's phone shows
/// the right thing; server errors of the far side become 502, a timeout 408, a transport
/// failure 503.
/// </summary>
public static class FailureMapping
{
    /// <summary>The status for the caller given the callee's final status.</summary>
    public static int ForCaller(int calleeStatus) => calleeStatus switch
    {
        401 or 407 => 403,
        >= 400 and < 500 => calleeStatus,
        503 => 503,
        >= 500 and < 600 => 502,
        >= 600 => calleeStatus,
        >= 300 and < 400 => 480,
        _ => 500,
    };

    /// <summary>
    /// The caller's final status and reason, and how the call ends, when the callee leg gave no
    /// 2xx: a refusal is mapped by <see cref="ForCaller"/> (its reason kept below 500), no answer
    /// in time is 408, an unreachable callee 503.
    /// </summary>
    /// <param name="calleeStatus">The callee's final status; null when none came.</param>
    /// <param name="calleeReason">Its reason phrase.</param>
    /// <param name="timedOut">No final came because the INVITE timed out (else the transport failed).</param>
    public static (int Status, string? Reason, CallEnd End) ForCalleeFailure(int? calleeStatus, string? calleeReason, bool timedOut) => calleeStatus switch
    {
        null when timedOut => (408, null, CallEnd.NoAnswer),
        null => (503, "Callee Unreachable", CallEnd.Failed),
        { } status => (ForCaller(status), status < 500 ? calleeReason : null, status is 408 or 480 or 486 or 600 or 603 ? CallEnd.NoAnswer : CallEnd.Rejected),
    };
}
