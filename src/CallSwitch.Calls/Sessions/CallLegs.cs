using CallSwitch.Calls.Media;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

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

    /// <summary>The legs of a call planned by <paramref name="plan"/> whose caller's INVITE came on <paramref name="callerFlow"/>: the caller is offered every codec we serve, the callee the plan's.</summary>
    public static CallLegs Create(CallContext context, CallMedia media, CallPlan plan, SipFlow callerFlow, string callerCallId)
    {
        CallParty calleeParty = plan.Caller == CallParty.Agent ? CallParty.Prospect : CallParty.Agent;
        return new CallLegs(
            CallLeg.Create(context, media, plan.Caller, callerFlow, CallLeg.Served),
            CallLeg.Create(context, media, calleeParty, plan.CalleeFlow, plan.CalleeCodecs),
            callerCallId);
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

    /// <summary>Sends BYE on the chosen legs that have a dialog; completes when each is answered or timed out.</summary>
    public Task SendByesAsync(SipTransactionLayer transactions, CallEnd reason, ILogger log, bool toCaller, bool toCallee)
    {
        var byes = new List<Task>();
        if (toCallee && Callee.Dialog is not null)
        {
            byes.Add(Callee.SendByeAsync(transactions, reason, log));
        }

        if (toCaller && Caller.Dialog is not null)
        {
            byes.Add(Caller.SendByeAsync(transactions, reason, log));
        }

        return Task.WhenAll(byes);
    }
}
