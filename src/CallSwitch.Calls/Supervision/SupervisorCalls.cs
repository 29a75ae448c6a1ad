using System.Collections.Concurrent;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Sessions;
using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// The supervisors' own SIP calls: an INVITE to a supervision code (*71 + extension...) is
/// answered by the switch and joined to the agent's call through <see cref="ICallControl"/>;
/// the dialog's BYE, INFO keys and ACK come back here by Call-ID.
/// </summary>
/// <remarks>
/// An agent who is not in a call is answered 404 (Not Found, "Agent Not In Call") rather than a
/// tone then a BYE: the softphone shows the reason at once, no media ports are taken for
/// nothing, and it reads the same on every softphone. A supervisor not allowed to supervise
/// that agent gets 403 before any call is looked at, so a refusal says nothing about the
/// agent's calls. Thread-safe.
/// </remarks>
public sealed class SupervisorCalls
{
    private readonly ConcurrentDictionary<string, SupervisorCall> _byCallId = new(StringComparer.Ordinal);

    /// <summary>Creates the front door of supervision.</summary>
    /// <param name="context">The switch's call context (relay, transactions, listeners).</param>
    /// <param name="control">The call-control façade the sessions are joined through.</param>
    /// <param name="config">The codes and keys.</param>
    public SupervisorCalls(CallContext context, ICallControl control, SupervisionConfig config)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(config);
        Context = context;
        Control = control;
        Codes = new SupervisionCodes(config);
    }

    /// <summary>Supervisors' dialogs in progress.</summary>
    public int Count => _byCallId.Count;

    internal CallContext Context { get; }

    internal ICallControl Control { get; }

    internal SupervisionCodes Codes { get; }

    /// <summary>
    /// Takes an authenticated INVITE outside any dialog when it dials a supervision code.
    /// </summary>
    /// <param name="transaction">The INVITE.</param>
    /// <param name="supervisor">The authenticated extension.</param>
    /// <returns>False when it dials something else (route it as a call).</returns>
    public bool TryStart(InviteServerTransaction transaction, string supervisor)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        string? dialled = (transaction.Request.Uri as SipUri)?.UserUnescaped;
        if (dialled is null || !Codes.TryParse(dialled, out SupervisionMode mode, out string agent))
        {
            return false;
        }

        _ = SupervisorCall.StartAsync(this, transaction, supervisor, mode, agent);
        return true;
    }

    /// <summary>A request inside a supervisor's dialog (BYE, INFO, re-INVITE); false when the Call-ID is not one.</summary>
    public bool TryHandle(ServerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Request.CallId is not { } callId || !_byCallId.TryGetValue(callId, out SupervisorCall? call))
        {
            return false;
        }

        _ = call.HandleAsync(transaction);
        return true;
    }

    /// <summary>The ACK of our 2xx to a supervisor; false when the Call-ID is not one.</summary>
    public bool TryAck(SipRequest ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (ack.CallId is not { } callId || !_byCallId.TryGetValue(callId, out SupervisorCall? call))
        {
            return false;
        }

        call.OnAck();
        return true;
    }

    internal void Add(string callId, SupervisorCall call) => _byCallId[callId] = call;

    internal void Forget(string callId) => _byCallId.TryRemove(callId, out _);
}
