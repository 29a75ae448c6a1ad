using CallSwitch.Sip.Messages;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// The two legs of a call and the Call-IDs that find them: the caller's INVITE opened the caller
/// leg's dialog, ours opened the callee's (a new Call-ID per INVITE sent, so it is set as it goes).
/// </summary>
internal sealed class CallLegs
{
    private readonly string _callerCallId;

    public CallLegs(CallLeg caller, CallLeg callee, string callerCallId)
    {
        Caller = caller;
        Callee = callee;
        _callerCallId = callerCallId;
    }

    public CallLeg Caller { get; }

    public CallLeg Callee { get; }

    /// <summary>The Call-ID of the INVITE last sent on the callee leg.</summary>
    public string? CalleeCallId { get; set; }

    /// <summary>Whether either party has put the call on hold.</summary>
    public bool AnyOnHold => Caller.IsOnHold || Callee.IsOnHold;

    /// <summary>The leg a request inside a dialog belongs to, by its Call-ID.</summary>
    public CallLeg? LegOf(SipRequest request) =>
        request.CallId == _callerCallId ? Caller : request.CallId == CalleeCallId ? Callee : null;

    public CallLeg Other(CallLeg leg) => ReferenceEquals(leg, Caller) ? Callee : Caller;
}
