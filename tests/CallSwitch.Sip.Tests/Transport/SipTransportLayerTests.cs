using System.Net;
using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;
using CallSwitch.TestSupport;

namespace CallSwitch.Sip.Tests.Transport;

public sealed class SipTransportLayerTests : IAsyncLifetime
{
    private static readonly SipMessageParser Parser = new();
    private readonly LoopbackNetwork _network = new() { DeliverInline = true };
    private readonly TransportMessageRecorder _handler = new();
    private readonly TransportChannelRecorder _atPhone = new();
    private LoopbackChannel _phone = null!;
    private SipTransportLayer _transport = null!;

    public Task InitializeAsync()
    {
        _phone = _network.CreateChannel("10.0.0.1", 5062);
        _phone.Start(_atPhone);
        _transport = new SipTransportLayer([_network.CreateChannel("10.0.0.2", 5060), _network.CreateChannel("10.0.0.2", 5060, SipProtocol.Tcp)]);
        _transport.Start(_handler);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        await _phone.DisposeAsync();
        _network.Dispose();
    }

    internal static string Request(string via, string method = "OPTIONS", string contentLength = "0", string? extra = null) =>
        $"{method} sip:switch@10.0.0.2 SIP/2.0\r\n" +
        $"Via: {via}\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:1001@switch.example.com>;tag=abc\r\n" +
        "To: <sip:switch@switch.example.com>\r\n" +
        "Call-ID: transport-test-1\r\n" +
        $"CSeq: 7 {method}\r\n" +
        extra +
        $"Content-Length: {contentLength}\r\n" +
        "\r\n";

    [Theory]
    [InlineData("SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1", "SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1;received=10.0.0.1")]
    [InlineData("SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;rport", "SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;rport=5062;received=10.0.0.1")]
    [InlineData("SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1", "SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1")]
    [InlineData("SIP/2.0/UDP 192.168.1.10;rport;branch=z9hG4bK1", "SIP/2.0/UDP 192.168.1.10;rport=5062;branch=z9hG4bK1;received=10.0.0.1")]
    [InlineData("SIP/2.0/UDP 10.0.0.1:5062;rport=1234;branch=z9hG4bK1", "SIP/2.0/UDP 10.0.0.1:5062;rport=1234;branch=z9hG4bK1")]
    public async Task TopViaGetsReceivedAndRPort(string via, string expected)
    {
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(Request(via)));
        var (message, flow) = await _handler.NextAsync();

        Assert.Equal(new SipFlow(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), _phone.LocalEndPoint), flow);
        Assert.Equal(expected, message.TopVia!.ToString());
        Assert.Contains("Via: " + expected + "\r\n", Encoding.ASCII.GetString(message.ToBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheTopViaOfACombinedLineChanges()
    {
        var request = (SipRequest)Parser.Parse(Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP a.example.com;rport;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2")));
        Assert.True(SipRouting.StampTopVia(request, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4000)));

        List<ViaHeader> vias = request.GetVias();
        Assert.Equal("2001:db8::1", vias[0].Received);
        Assert.Equal(4000, vias[0].RPort);
        Assert.Null(vias[1].Received);
        Assert.Equal("b.example.com", vias[1].Host);
    }

    [Fact]
    public void TheStampedTopViaIsTheOneTheMessageAndItsViaListGive()
    {
        var request = (SipRequest)Parser.Parse(Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP a.example.com;rport;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2")));
        Assert.True(SipRouting.StampTopVia(request, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4000)));

        // Parsed once: the validator's list and the transaction layer's TopVia share it, and it
        // reads as the rewritten header does.
        ViaHeader top = request.TopVia!;
        Assert.Same(top, request.GetVias()[0]);
        Assert.Equal(("192.0.2.7", 4000), (top.Received, top.RPort));
        Assert.StartsWith("Via: " + top + ", SIP/2.0/UDP b.example.com", Encoding.ASCII.GetString(request.ToBytes()).Split("\r\n")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedRequestWithRoutableHeadersGets400()
    {
        string bad = Request("SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bKbad", contentLength: "abc");
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(bad));

        // rport sends the answer back to the source port despite the private sent-by.
        var got = await _atPhone.NextAsync();
        var response = Assert.IsType<SipResponse>(Parser.Parse(got.Data));
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("Content-Length", response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Equal("z9hG4bKbad", response.TopVia!.Branch);
        Assert.Equal(5062, response.TopVia.RPort);
        Assert.Equal("transport-test-1", response.CallId);
        Assert.Equal(new CSeqHeader(7, "OPTIONS"), response.CSeq);
        Assert.Equal("abc", response.From!.Tag);
        Assert.NotNull(response.To!.Tag);
        Assert.Equal(0, _handler.Count);
        Assert.Equal(1, _transport.Statistics.Malformed);
        Assert.Equal(1, _transport.Statistics.ErrorResponsesSent);
    }

    [Fact]
    public async Task UnsupportedVersionGets505()
    {
        string bad = Request("SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKv").Replace("SIP/2.0\r\n", "SIP/3.0\r\n", StringComparison.Ordinal);
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(bad));

        var response = Assert.IsType<SipResponse>(Parser.Parse((await _atPhone.NextAsync()).Data));
        Assert.Equal(505, response.StatusCode);
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\nContent-Length: zz\r\n\r\n")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\nContent-Length: zz\r\n\r\n")]
    [InlineData("ACK sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 ACK\r\nContent-Length: zz\r\n\r\n")]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("\r\n\r\n")]
    public async Task UnanswerableRequestIsDroppedAndCounted(string text)
    {
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(text));

        Assert.True(await _atPhone.StaysQuietAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0, _handler.Count);
        Assert.Equal(1, _transport.Statistics.Malformed);
        Assert.Equal(1, _transport.Statistics.Dropped);
        Assert.Equal(0, _transport.Statistics.ErrorResponsesSent);
    }

    [Theory]
    [InlineData("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("SIP/2.0 200 OK\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("SIP/2.0 2000 OK\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1\r\n\r\n")]
    public async Task MalformedResponseIsDroppedAndCounted(string text)
    {
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(text));

        Assert.True(await _atPhone.StaysQuietAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(0, _handler.Count);
        Assert.Equal(1, _transport.Statistics.Dropped);
    }

    [Fact]
    public async Task ValidResponseReachesTheHandler()
    {
        string ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(ok));

        var (message, _) = await _handler.NextAsync();
        Assert.Equal(200, Assert.IsType<SipResponse>(message).StatusCode);

        // Responses keep their Via untouched.
        Assert.Null(message.TopVia!.Received);
    }

    [Fact]
    public async Task HandlerFailureIsCountedAndTheTransportGoesOn()
    {
        await using var transport = new SipTransportLayer([_network.CreateChannel("10.0.0.3", 5060)]);
        var handler = new ThrowOnceHandler();
        transport.Start(handler);
        var to = new IPEndPoint(IPAddress.Parse("10.0.0.3"), 5060);

        await _phone.SendAsync(to, Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1")));
        await _phone.SendAsync(to, Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK2")));

        Assert.Equal(1, transport.Statistics.HandlerErrors);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task SendErrorIsATransportExceptionAndCounted()
    {
        var request = (SipRequest)Parser.Parse(Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1")));
        var channel = (LoopbackChannel)_transport.Channels[0];
        channel.Options = new LoopbackLinkOptions { FailSends = true };

        await Assert.ThrowsAsync<SipTransportException>(async () => await _transport.SendAsync(request, SipFlow.ToRemote(SipProtocol.Udp, _phone.LocalEndPoint)));
        Assert.Equal(1, _transport.Statistics.SendErrors);

        // No TLS channel at all, and no channel bound to that local end point.
        await Assert.ThrowsAsync<SipTransportException>(async () => await _transport.SendAsync(request, SipFlow.ToRemote(SipProtocol.Tls, _phone.LocalEndPoint)));
        var wrongLocal = new SipFlow(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5060), _phone.LocalEndPoint);
        await Assert.ThrowsAsync<SipTransportException>(async () => await _transport.SendAsync(request, wrongLocal));

        // Reliable to an end point nobody listens on: refused.
        await Assert.ThrowsAsync<SipTransportException>(async () => await _transport.SendAsync(request, SipFlow.ToRemote(SipProtocol.Tcp, _phone.LocalEndPoint)));
        Assert.Equal(4, _transport.Statistics.SendErrors);
    }

    [Fact]
    public async Task SendPicksTheChannelOfTheFlow()
    {
        var request = (SipRequest)Parser.Parse(Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1")));
        await _transport.SendAsync(request, SipFlow.ToRemote(SipProtocol.Udp, _phone.LocalEndPoint));

        var got = await _atPhone.NextAsync();
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), got.Remote);
        Assert.Equal(request.ToBytes(), got.Data);
        Assert.Equal(1, _transport.Statistics.Sent);
        Assert.Null(_transport.FindChannel(SipFlow.ToRemote(SipProtocol.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060))));
    }

    [Fact]
    public async Task ResponseFollowsTheViaNotTheSourcePort()
    {
        // No rport: RFC 3261 §18.2.2 answers at the sent-by port, not at the source port.
        await using var listening = _network.CreateChannel("10.0.0.1", 5070);
        var atListening = new TransportChannelRecorder();
        listening.Start(atListening);
        await _phone.SendAsync(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060), Encoding.ASCII.GetBytes(Request("SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK9")));
        var (message, flow) = await _handler.NextAsync();

        var response = new SipResponse(200);
        foreach (string via in message.Headers.GetValues(HeaderId.Via))
        {
            response.Headers.Add(HeaderId.Via, via);
        }

        response.Headers.Add(HeaderId.CallId, message.CallId!);
        await ((ISipTransport)_transport).SendResponseAsync(response, flow);

        var got = await atListening.NextAsync();
        Assert.Equal(200, Assert.IsType<SipResponse>(Parser.Parse(got.Data)).StatusCode);
        Assert.Equal(0, _atPhone.Count);
    }

    [Fact]
    public async Task ReliableResponseFallsBackToANewConnectionAtTheSentByPort()
    {
        // RFC 3261 §18.2.2: the connection the request came on is gone, so the response opens one
        // to the received address and the sent-by port.
        var server = new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5060);
        var client = _network.CreateChannel("10.0.0.1", 40_001, SipProtocol.Tcp);
        client.Start(new TransportChannelRecorder());
        await using var listening = _network.CreateChannel("10.0.0.1", 5070, SipProtocol.Tcp);
        var atListening = new TransportChannelRecorder();
        listening.Start(atListening);
        await client.SendAsync(server, Encoding.ASCII.GetBytes(Request("SIP/2.0/TCP pc.example.com:5070;branch=z9hG4bKt")));
        var (message, flow) = await _handler.NextAsync();
        Assert.Equal(40_001, flow.Remote.Port);
        await client.DisposeAsync();

        var response = new SipResponse(200);
        response.Headers.Add(HeaderId.Via, message.Headers.GetValues(HeaderId.Via)[0]);
        await _transport.SendResponseAsync(response, flow);

        var got = await atListening.NextAsync();
        Assert.Equal(200, Assert.IsType<SipResponse>(Parser.Parse(got.Data)).StatusCode);
        Assert.Equal(1, _transport.Statistics.SendErrors);
        Assert.Equal(1, _transport.Statistics.Sent);
    }

    private sealed class ThrowOnceHandler : ISipMessageHandler
    {
        public int Calls { get; private set; }

        public void OnMessage(SipMessage message, SipFlow flow)
        {
            if (++Calls == 1)
            {
                throw new InvalidOperationException("handler bug");
            }
        }
    }
}
