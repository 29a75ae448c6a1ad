using System.Net;
using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;

namespace CallSwitch.Sip.Tests.Transport;

/// <summary>The transport layer over real sockets: an agent on UDP or TCP talks to the switch and gets answered.</summary>
public class SipTransportSocketTests
{
    private static readonly SipMessageParser Parser = new();

    [Theory]
    [InlineData(SipProtocol.Udp, "127.0.0.1")]
    [InlineData(SipProtocol.Udp, "::1")]
    [InlineData(SipProtocol.Tcp, "127.0.0.1")]
    [InlineData(SipProtocol.Tcp, "::1")]
    public async Task RequestInResponseOutRequestBack(SipProtocol protocol, string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        ISipChannel Channel() => protocol == SipProtocol.Udp ? new UdpChannel(new IPEndPoint(ip, 0)) : new TcpChannel(new IPEndPoint(ip, 0));

        var handler = new TransportMessageRecorder();
        await using var transport = new SipTransportLayer([Channel()]);
        transport.Start(handler);
        await using ISipChannel phone = Channel();
        var atPhone = new TransportChannelRecorder();
        phone.Start(atPhone);
        IPEndPoint server = transport.Channels[0].LocalEndPoint;

        string host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address;
        string via = $"SIP/2.0/{SipRouting.ViaTransportOf(protocol)} {host}:{phone.LocalEndPoint.Port};rport;branch={SipIdentifiers.NewBranch()}";
        await phone.SendAsync(server, Encoding.ASCII.GetBytes(SipTransportLayerTests.Request(via, "REGISTER")));

        var (message, flow) = await handler.NextAsync();
        var register = Assert.IsType<SipRequest>(message);
        Assert.Equal(protocol, flow.Protocol);
        Assert.Equal(server, flow.Local);
        Assert.Equal(flow.Remote.Port, register.TopVia!.RPort);

        var ok = new SipResponse(200);
        foreach (string v in register.Headers.GetValues(HeaderId.Via))
        {
            ok.Headers.Add(HeaderId.Via, v);
        }

        ok.Headers.Add(HeaderId.CallId, register.CallId!);
        ok.Headers.Add(HeaderId.CSeq, register.CSeq!.Value.ToString());
        ok.Headers.Add(HeaderId.ContentLength, "0");
        await ((ISipTransport)transport).SendResponseAsync(ok, flow);
        var response = Assert.IsType<SipResponse>(Parser.Parse((await atPhone.NextAsync()).Data));
        Assert.Equal(200, response.StatusCode);

        // A later request to the registered flow reaches the phone (over TCP: on its own connection).
        var options = new SipRequest(SipMethods.Options, $"sip:1001@{host}:{flow.Remote.Port}");
        options.Headers.Add(HeaderId.Via, $"SIP/2.0/{SipRouting.ViaTransportOf(protocol)} {host}:{server.Port};branch={SipIdentifiers.NewBranch()}");
        options.Headers.Add(HeaderId.ContentLength, "0");
        await transport.SendAsync(options, flow);
        var back = await atPhone.NextAsync();
        Assert.Equal(SipMethods.Options, Assert.IsType<SipRequest>(Parser.Parse(back.Data)).Method);
        Assert.Equal(server, back.Remote);
        if (phone is TcpChannel tcp)
        {
            Assert.Equal(1, tcp.ConnectionCount);
        }

        Assert.Equal(2, transport.Statistics.Sent);
        Assert.Equal(1, transport.Statistics.Received);
    }

    [Fact]
    public async Task FramingErrorIsCountedByTheTransport()
    {
        await using var transport = new SipTransportLayer([new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0))]);
        transport.Start(new TransportMessageRecorder());
        await using var phone = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        phone.Start(new TransportChannelRecorder());

        string bad = SipTransportLayerTests.Request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK1", contentLength: "-1");
        await phone.SendAsync(transport.Channels[0].LocalEndPoint, Encoding.ASCII.GetBytes(bad));

        await TcpChannelTests.WaitUntilAsync(() => transport.Statistics.FramingErrors == 1);
        await TcpChannelTests.WaitUntilAsync(() => phone.ConnectionCount == 0);
    }
}
