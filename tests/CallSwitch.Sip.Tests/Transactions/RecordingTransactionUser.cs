using System.Collections.Concurrent;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transactions;

/// <summary>A TU that records every callback; an optional handler answers new requests.</summary>
internal sealed class RecordingTransactionUser : ISipTransactionUser
{
    public ConcurrentQueue<ServerTransaction> Requests { get; } = new();

    public ConcurrentQueue<(InviteServerTransaction Invite, SipRequest Cancel)> Cancels { get; } = new();

    public ConcurrentQueue<SipRequest> Acks { get; } = new();

    public ConcurrentQueue<SipResponse> StrayResponses { get; } = new();

    public Action<ServerTransaction>? OnRequestHandler { get; set; }

    public void OnRequest(ServerTransaction transaction)
    {
        Requests.Enqueue(transaction);
        OnRequestHandler?.Invoke(transaction);
    }

    public void OnCancel(InviteServerTransaction invite, SipRequest cancel) => Cancels.Enqueue((invite, cancel));

    public void OnAck(SipRequest ack, SipFlow flow) => Acks.Enqueue(ack);

    public void OnStrayResponse(SipResponse response, SipFlow flow) => StrayResponses.Enqueue(response);
}
