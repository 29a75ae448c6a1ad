using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>Table-driven sip, sips and tel URIs (RFC 3261 §19.1, RFC 3966) and URI comparison (RFC 3261 §19.1.4).</summary>
public class SipUriTableTests
{
    [Theory]
    [InlineData("sip:alice@atlanta.com", "sip", "alice", null, "atlanta.com", null, null)]
    [InlineData("sips:alice:secretword@atlanta.com;transport=tcp", "sips", "alice", "secretword", "atlanta.com", null, "tcp")]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip", "+1-212-555-1212", "1234", "gateway.com", null, null)]
    [InlineData("sip:[2001:db8::10]:5070;transport=tcp", "sip", null, null, "[2001:db8::10]", 5070, "tcp")]
    [InlineData("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "sip", null, null, "atlanta.com", null, null)]
    [InlineData("SIP:Bob@Biloxi.COM:5061", "sip", "Bob", null, "Biloxi.COM", 5061, null)]
    [InlineData("sip:%61lice@192.0.2.4:65535;TRANSPORT=UDP", "sip", "%61lice", null, "192.0.2.4", 65535, "udp")]
    public void ParsesSipUris(string text, string scheme, string? user, string? password, string host, int? port, string? transport)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.Equal((scheme, user, password, host, port, transport), (uri.Scheme, uri.User, uri.Password, uri.Host, uri.Port, uri.Transport));
        Assert.True(SipUri.TryParse(uri.ToString(), out var again));
        Assert.True(uri.IsEquivalentTo(again));
    }

    [Fact]
    public void Ipv6ReferenceKeepsBracketsAndGivesTheAddress()
    {
        var uri = SipUri.Parse("sip:[2001:db8::10]:5070;transport=tcp")!;
        Assert.Equal("2001:db8::10", uri.HostWithoutBrackets);
        Assert.Equal(System.Net.IPAddress.Parse("2001:db8::10"), uri.HostAddress);
        Assert.Equal("sip:[2001:db8::10]:5070;transport=tcp", uri.ToString());
        Assert.True(uri.IsEquivalentTo(SipUri.Parse("sip:[2001:DB8:0::10]:5070;transport=TCP")!));
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@atlanta.com:")]
    [InlineData("sip:alice@atlanta.com:70000")]
    [InlineData("sip:alice@atl anta.com")]
    [InlineData("sip:[2001:db8::10")]
    [InlineData("sip:[192.0.2.1]")]
    [InlineData("sip:al%6ice@atlanta.com")]
    [InlineData("sip:alice@atlanta.com;")]
    [InlineData("sip:<alice@atlanta.com>")]
    [InlineData("http:alice@atlanta.com")]
    public void RefusesMalformedSipUris(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Theory]
    [InlineData("sip:sips%3Auser%40example.com@example.net", "sips:user@example.com")]
    [InlineData("sip:I%20have%20spaces@example.net", "I have spaces")]
    [InlineData("sip:%E5%A4%A7@example.net", "大")]
    [InlineData("sip:100%25@example.net", "100%")]
    public void UnescapesUserParts(string text, string user) => Assert.Equal(user, SipUri.Parse(text)!.UserUnescaped);

    [Theory]
    [InlineData("tel:+1-201-555-0123", true, "+12015550123")]
    [InlineData("tel:7042;phone-context=example.com", false, "7042")]
    [InlineData("tel:863-1234;phone-context=+1-914-555", false, "8631234")]
    public void ParsesTelUris(string text, bool global, string digits)
    {
        var uri = Assert.IsType<TelUri>(AddressUri.Parse(text));
        Assert.Equal((global, digits), (uri.IsGlobal, uri.Digits));
    }

    [Theory]
    [InlineData("tel:7042")]
    [InlineData("tel:")]
    [InlineData("tel:+1 201")]
    [InlineData("tel:xyz;phone-context=x")]
    public void RefusesMalformedTelUris(string text) => Assert.False(TelUri.TryParse(text, out _));

    /// <summary>RFC 3261 §19.1.4: the URIs it lists as equivalent.</summary>
    [Theory]
    [InlineData("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com")]
    [InlineData("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x")]
    [InlineData("sip:alice@atlanta.com;%6C%72", "sip:alice@atlanta.com;lr")]
    public void EquivalentUris(string a, string b)
    {
        Assert.True(SipUri.Parse(a)!.IsEquivalentTo(SipUri.Parse(b)!));
        Assert.True(SipUri.Parse(b)!.IsEquivalentTo(SipUri.Parse(a)!));
    }

    /// <summary>RFC 3261 §19.1.4: the URIs it lists as not equivalent.</summary>
    [Theory]
    [InlineData("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting")]
    [InlineData("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4")]
    [InlineData("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off")]
    [InlineData("sip:alice@atlanta.com", "sips:alice@atlanta.com")]
    public void NotEquivalentUris(string a, string b)
    {
        Assert.False(SipUri.Parse(a)!.IsEquivalentTo(SipUri.Parse(b)!));
        Assert.False(SipUri.Parse(b)!.IsEquivalentTo(SipUri.Parse(a)!));
    }
}
