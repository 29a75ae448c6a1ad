using System.Net;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transport;

public class SipRoutingTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.0.0.2"), 5060);
    private static readonly IPEndPoint Source = new(IPAddress.Parse("203.0.113.7"), 40001);

    [Theory]
    [InlineData("SIP/2.0/UDP 203.0.113.7;branch=z9hG4bK1", "203.0.113.7:5060")]
    [InlineData("SIP/2.0/UDP 203.0.113.7:5070;branch=z9hG4bK1", "203.0.113.7:5070")]
    [InlineData("SIP/2.0/UDP 192.168.1.5:5070;branch=z9hG4bK1;received=203.0.113.7", "203.0.113.7:5070")]
    [InlineData("SIP/2.0/UDP 192.168.1.5:5070;branch=z9hG4bK1;received=203.0.113.7;rport=40001", "203.0.113.7:40001")]
    [InlineData("SIP/2.0/UDP pc.example.com;branch=z9hG4bK1;received=203.0.113.7", "203.0.113.7:5060")]
    [InlineData("SIP/2.0/UDP 203.0.113.7:5070;branch=z9hG4bK1;maddr=239.255.255.1", "239.255.255.1:5070")]
    [InlineData("SIP/2.0/UDP [2001:db8::5]:5070;branch=z9hG4bK1;received=2001:db8::9;rport=4000", "[2001:db8::9]:4000")]
    [InlineData("SIP/2.0/UDP pc.example.com;branch=z9hG4bK1", "203.0.113.7:5060")]
    public void UnreliableResponseDestination(string via, string expected)
    {
        Assert.True(ViaHeader.TryParse(via, out var top));
        SipFlow flow = SipRouting.GetResponseFlow(top, new SipFlow(SipProtocol.Udp, Local, Source));

        Assert.Equal(IPEndPoint.Parse(expected), flow.Remote);
        Assert.Equal(Local, flow.Local);
        Assert.Equal(SipProtocol.Udp, flow.Protocol);
    }

    [Fact]
    public void ReliableResponseGoesBackOnTheConnection()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/TCP 192.168.1.5:5070;branch=z9hG4bK1;received=203.0.113.7;rport=40001", out var top));
        var requestFlow = new SipFlow(SipProtocol.Tcp, Local, Source);

        Assert.Equal(requestFlow, SipRouting.GetResponseFlow(top, requestFlow));

        // The connection is gone: a new one to received and the sent-by port.
        Assert.Equal(IPEndPoint.Parse("203.0.113.7:5070"), SipRouting.GetReliableResponseFallback(top, requestFlow).Remote);
    }

    [Theory]
    [InlineData("sip:1001@192.0.2.4", SipProtocol.Udp, "192.0.2.4:5060")]
    [InlineData("sip:1001@192.0.2.4:5080;transport=tcp", SipProtocol.Tcp, "192.0.2.4:5080")]
    [InlineData("sip:1001@192.0.2.4;transport=TLS", SipProtocol.Tls, "192.0.2.4:5061")]
    [InlineData("sips:1001@192.0.2.4", SipProtocol.Tls, "192.0.2.4:5061")]
    [InlineData("sip:1001@[2001:db8::4]:5062", SipProtocol.Udp, "[2001:db8::4]:5062")]
    [InlineData("sip:1001@localhost:5090;transport=tcp", SipProtocol.Tcp, "127.0.0.1:5090")]
    [InlineData("sip:1001@example.com;maddr=192.0.2.9", SipProtocol.Udp, "192.0.2.9:5060")]
    public async Task RequestDestinationFromUri(string uri, SipProtocol protocol, string expected)
    {
        SipFlow flow = await new SipDestinationResolver().ResolveAsync(SipUri.Parse(uri)!);

        Assert.Equal(protocol, flow.Protocol);
        Assert.Equal(IPEndPoint.Parse(expected), flow.Remote);
        Assert.False(flow.HasLocal);
    }

    [Theory]
    [InlineData("sip:1001@unknown.example.com")]
    [InlineData("sip:1001@192.0.2.4;transport=sctp")]
    [InlineData("sip:1001@10")]
    public async Task UnresolvableDestinationIsATransportError(string uri)
    {
        await Assert.ThrowsAsync<SipTransportException>(async () => await new SipDestinationResolver().ResolveAsync(SipUri.Parse(uri)!));
    }

    [Fact]
    public async Task HostNamesGoToTheResolver()
    {
        var resolver = new SipDestinationResolver(new FixedResolver(IPAddress.Parse("198.51.100.1")));
        SipFlow flow = await resolver.ResolveAsync(SipUri.Parse("sip:trunk.example.com")!);

        Assert.Equal(IPEndPoint.Parse("198.51.100.1:5060"), flow.Remote);
    }

    [Fact]
    public void BranchesCarryTheCookieAndAreUnique()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 1000; i++)
        {
            string branch = SipIdentifiers.NewBranch();
            Assert.StartsWith("z9hG4bK", branch, StringComparison.Ordinal);
            Assert.Equal(7 + 20, branch.Length);
            Assert.True(SipIdentifiers.IsRfc3261Branch(branch));
            Assert.True(seen.Add(branch));
        }

        Assert.False(SipIdentifiers.IsRfc3261Branch("1234"));
    }

    [Fact]
    public void FlowWithoutLocal()
    {
        SipFlow v6 = SipFlow.ToRemote(SipProtocol.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060));
        Assert.False(v6.HasLocal);
        Assert.Equal(IPAddress.IPv6Any, v6.Local.Address);
        Assert.True(new SipFlow(SipProtocol.Udp, Local, Source).HasLocal);
        Assert.False(default(SipFlow).HasLocal);
    }

    private sealed class FixedResolver(IPAddress address) : ISipHostResolver
    {
        public ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<IPAddress>>([address]);
    }
}
