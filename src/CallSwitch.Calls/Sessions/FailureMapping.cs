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
}
