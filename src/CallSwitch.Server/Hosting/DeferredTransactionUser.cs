using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// Breaks the construction cycle between the transaction layer (which needs its user) and the
/// switch core (which needs the transaction layer to place calls): set once before the
/// transport starts, then read on every message.
/// </summary>
internal sealed class DeferredTransactionUser : ISipTransactionUser
{
    public ISipTransactionUser? Target { get; set; }

    private ISipTransactionUser User => Target ?? throw new InvalidOperationException("The switch core is not set.");

    public void OnRequest(ServerTransaction transaction) => User.OnRequest(transaction);

    public void OnCancel(InviteServerTransaction invite, SipRequest cancel) => User.OnCancel(invite, cancel);

    public void OnAck(SipRequest ack, SipFlow flow) => User.OnAck(ack, flow);

    public void OnStrayResponse(SipResponse response, SipFlow flow) => User.OnStrayResponse(response, flow);
}
