using System.Net;
using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Tests.Transactions;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Rfc4475;

/// <summary>
/// RFC 4475 §3.2.1 badbranch through the whole stack (transport, transaction layer, a TU that
/// validates as the switch does): the 400 is sent statelessly, so a source that repeats the bare
/// magic cookie on its next, different request gets that request answered too.
/// </summary>
public sealed class Rfc4475BadBranchTransportTests : IAsyncLifetime
{
    private static readonly SipMessageParser Parser = new();
    private static readonly IPEndPoint Switch = new(IPAddress.Parse("10.0.0.2"), 5060);
    private readonly LoopbackNetwork _network = new() { DeliverInline = true };
    private readonly RecordingTransactionUser _user = new();
    private readonly SipRequestValidator _validator = new();
    private SipTransportLayer _transport = null!;
    private SipTransactionLayer _transactions = null!;

    public Task InitializeAsync()
    {
        _transport = new SipTransportLayer([_network.CreateChannel(Switch), _network.CreateChannel(Switch, SipProtocol.Tcp)]);
        _transactions = new SipTransactionLayer(_transport, _user, new FakeTimeProvider());

        // As SwitchCore does: a request the validator refuses gets its status from its transaction.
        _user.OnRequestHandler = transaction =>
        {
            SipValidationResult result = _validator.Validate(transaction.Request);
            SipResponse response = transaction.CreateResponse(result.IsValid ? 200 : result.StatusCode, result.IsValid ? null : result.Reason);
            _ = transaction.SendResponseAsync(response);
        };
        _transport.Start(_transactions);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        _network.Dispose();
    }

    [Theory]
    [InlineData(SipProtocol.Udp)]
    [InlineData(SipProtocol.Tcp)]
    public async Task TwoDifferentRequestsWithTheBareMagicCookieFromOneSourceEachGetTheirOwn400(SipProtocol protocol)
    {
        await using LoopbackChannel phone = _network.CreateChannel("10.0.0.1", 5099, protocol);
        var atPhone = new TransportChannelRecorder();
        phone.Start(atPhone);

        foreach (string callId in new[] { "badbranch-1", "badbranch-2" })
        {
            await phone.SendAsync(Switch, Encoding.ASCII.GetBytes(Options(callId, protocol)));
            var response = (SipResponse)Parser.Parse((await atPhone.NextAsync(TimeSpan.FromSeconds(5))).Data);

            Assert.Equal(400, response.StatusCode);
            Assert.Contains("Malformed Via Branch", response.ReasonPhrase, StringComparison.Ordinal);
            Assert.Equal(callId, response.CallId);
        }

        Assert.Empty(_user.Requests);
        Assert.Equal(0, _transactions.Count);
    }

    [Fact]
    public async Task AnAckWithTheBareMagicCookieIsDroppedUnanswered()
    {
        await using LoopbackChannel phone = _network.CreateChannel("10.0.0.1", 5099);
        var atPhone = new TransportChannelRecorder();
        phone.Start(atPhone);

        await phone.SendAsync(Switch, Encoding.ASCII.GetBytes(Options("badbranch-ack", SipProtocol.Udp).Replace("OPTIONS", "ACK", StringComparison.Ordinal)));

        Assert.Equal(0, atPhone.Count);
        Assert.Empty(_user.Acks);
    }

    /// <summary>The badbranch message of RFC 4475 (OPTIONS, branch=z9hG4bK) with its own Call-ID.</summary>
    private static string Options(string callId, SipProtocol protocol) =>
        "OPTIONS sip:user@10.0.0.2 SIP/2.0\r\n" +
        "To: sip:user@10.0.0.2\r\n" +
        "From: sip:caller@10.0.0.1;tag=33242\r\n" +
        "Max-Forwards: 3\r\n" +
        $"Via: SIP/2.0/{protocol.ToString().ToUpperInvariant()} 10.0.0.1:5099;branch=z9hG4bK\r\n" +
        "Accept: application/sdp\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 8 OPTIONS\r\n" +
        "l: 0\r\n\r\n";
}
