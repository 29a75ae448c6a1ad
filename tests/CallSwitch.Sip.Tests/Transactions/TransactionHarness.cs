using System.Net;
using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Transactions;

/// <summary>A transaction layer wired to a fake transport, a fake clock and a recording TU.</summary>
internal sealed class TransactionHarness
{
    public static readonly SipFlow Udp = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5060), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060));
    public static readonly SipFlow Tcp = new(SipProtocol.Tcp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5060), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 40000));

    private static readonly SipMessageParser Parser = new();

    /// <param name="clock">What the layer sees of <see cref="Time"/> (a wrapper that counts its timers, say); <see cref="Time"/> itself by default.</param>
    /// <param name="settings">The timers; <see cref="Timers"/> by default.</param>
    public TransactionHarness(Func<FakeTimeProvider, TimeProvider>? clock = null, SipTimerSettings? settings = null)
    {
        Layer = new SipTransactionLayer(Transport, User, clock?.Invoke(Time) ?? Time, settings ?? Timers);
        Layer.CallbackFailed += ex => CallbackErrors.Add(ex);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeSipTransport Transport { get; } = new();

    public RecordingTransactionUser User { get; } = new();

    public SipTransactionLayer Layer { get; }

    public List<Exception> CallbackErrors { get; } = [];

    /// <summary>RFC 3261's values, every wait ended on time (the tests check each timer to the millisecond).</summary>
    public static SipTimerSettings Timers { get; } = SipTimerSettings.Default with { WaitSlack = TimeSpan.Zero };

    /// <summary>
    /// Advances the fake clock in 1 ms steps: FakeTimeProvider moves to the target time before it
    /// runs due timers, so a timer re-armed inside a callback would otherwise be late.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan step = TimeSpan.FromMilliseconds(1);
        while (by >= step)
        {
            Time.Advance(step);
            by -= step;
        }

        if (by > TimeSpan.Zero)
        {
            Time.Advance(by);
        }
    }

    public void AdvanceMs(int ms) => Advance(TimeSpan.FromMilliseconds(ms));

    public static SipMessage Parse(string text) => Parser.Parse(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")));

    public static SipRequest ParseRequest(string text) => (SipRequest)Parse(text);

    /// <summary>A request as a peer sends it to us.</summary>
    public static SipRequest IncomingRequest(
        string method,
        string branch = "z9hG4bKpeer1",
        string sentBy = "10.0.0.2:5060",
        uint cseq = 1,
        string? toTag = null,
        string fromTag = "peertag",
        string callId = "call-1@10.0.0.2",
        string requestUri = "sip:bob@10.0.0.1",
        string? cseqMethod = null) =>
        ParseRequest(
            $"{method} {requestUri} SIP/2.0\n" +
            $"Via: SIP/2.0/UDP {sentBy};branch={branch}\n" +
            "Max-Forwards: 70\n" +
            $"From: <sip:alice@10.0.0.2>;tag={fromTag}\n" +
            $"To: <sip:bob@10.0.0.1>{(toTag is null ? string.Empty : ";tag=" + toTag)}\n" +
            $"Call-ID: {callId}\n" +
            $"CSeq: {cseq} {cseqMethod ?? method}\n" +
            "Contact: <sip:alice@10.0.0.2:5060>\n" +
            "Content-Length: 0\n\n");

    /// <summary>A request as our TU builds it (Via without branch: the layer adds one).</summary>
    public static SipRequest OutgoingRequest(string method, uint cseq = 1, bool withRoute = true)
    {
        var request = new SipRequest(method, "sip:carol@10.0.0.2");
        request.Headers.Add(HeaderId.Via, "SIP/2.0/UDP 10.0.0.1:5060;rport");
        request.Headers.Add(HeaderId.MaxForwards, "70");
        if (withRoute)
        {
            request.Headers.Add(HeaderId.Route, "<sip:proxy1.example.com;lr>");
            request.Headers.Add(HeaderId.Route, "<sip:proxy2.example.com;lr>");
        }

        request.Headers.Add(HeaderId.From, "<sip:switch@10.0.0.1>;tag=ourtag");
        request.Headers.Add(HeaderId.To, "<sip:carol@10.0.0.2>");
        request.Headers.Add(HeaderId.CallId, "out-call-1@10.0.0.1");
        request.Headers.Add(HeaderId.CSeq, $"{cseq} {method}");
        request.Headers.Add(HeaderId.Contact, "<sip:switch@10.0.0.1:5060>");
        request.Headers.Add(HeaderId.ContentLength, "0");
        return request;
    }

    /// <summary>A response from the peer to a request we sent (as it arrives: parsed from text).</summary>
    public static SipResponse ResponseTo(SipRequest request, int status, string? toTag = "remotetag")
    {
        var built = SipResponseFactory.CreateResponse(request, status, null, toTag);
        return (SipResponse)Parse(built.ToString());
    }

    /// <summary>The client transaction of an outgoing request, started, with the sent request cleared from the log.</summary>
    public ClientTransaction StartClient(SipRequest request, SipFlow flow)
    {
        var transaction = Layer.CreateClientTransaction(request, flow);
        transaction.Start();
        return transaction;
    }

    public void Receive(SipMessage message, SipFlow flow) => Layer.OnMessage(message, flow);
}
