using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>Table-driven name-addr, Contact, compact-name and list-header tests (RFC 3261 §7.3, §20, §25.1).</summary>
public class HeaderTableTests
{
    private static readonly SipMessageParser Parser = new();

    [Theory]
    [InlineData("<sip:alice@atlanta.com>;tag=1", null, "sip:alice@atlanta.com", "1")]
    [InlineData("Alice <sip:alice@atlanta.com>", "Alice", "sip:alice@atlanta.com", null)]
    [InlineData("Alice Liddell<sip:alice@atlanta.com>", "Alice Liddell", "sip:alice@atlanta.com", null)]
    [InlineData("\"Alice \\\"The\\\" Liddell\" <sip:alice@atlanta.com>;tag=x", "Alice \"The\" Liddell", "sip:alice@atlanta.com", "x")]
    [InlineData("\"back\\\\slash\" <sips:b@h>", "back\\slash", "sips:b@h", null)]
    [InlineData("\"\" <sip:b@h>", "", "sip:b@h", null)]
    [InlineData("\"Doe, John\" <sip:j@h;transport=tcp>;tag=t", "Doe, John", "sip:j@h;transport=tcp", "t")]
    [InlineData("sip:alice@atlanta.com;tag=88", null, "sip:alice@atlanta.com", "88")]
    [InlineData("  sip:alice@atlanta.com ; tag = 88 ", null, "sip:alice@atlanta.com", "88")]
    [InlineData("tel:+15551234;tag=9", null, "tel:+15551234", "9")]
    public void ParsesNameAddresses(string value, string? display, string uri, string? tag)
    {
        Assert.True(NameAddress.TryParse(value, out var address));
        Assert.Equal((display, uri, tag), (address.DisplayName, address.Uri.ToString(), address.Tag));
        Assert.True(NameAddress.TryParse(address.ToString(), out var again));
        Assert.Equal((address.DisplayName ?? string.Empty, address.Tag), (again.DisplayName ?? string.Empty, again.Tag));
    }

    [Fact]
    public void ParametersAfterAnAddrSpecBelongToTheHeaderAndInsideBracketsToTheUri()
    {
        var bare = NameAddress.Parse("sip:a@h;transport=tcp;tag=1")!;
        Assert.Equal("tcp", bare.Parameters.Get("transport"));
        Assert.Null(bare.SipUri!.Transport);

        var bracketed = NameAddress.Parse("<sip:a@h;transport=tcp>;tag=1")!;
        Assert.Null(bracketed.Parameters.Get("transport"));
        Assert.Equal("tcp", bracketed.SipUri!.Transport);
    }

    [Theory]
    [InlineData("\"unterminated <sip:a@h>")]
    [InlineData("Doe, John <sip:j@h>")]
    [InlineData("< sip:a@h >")]
    [InlineData("<sip:a@h")]
    [InlineData("sip:a@h?subject=x")]
    [InlineData("<sip:a@h> junk")]
    [InlineData("<sip:a@h>;;")]
    [InlineData("")]
    public void RefusesMalformedNameAddresses(string value) => Assert.False(NameAddress.TryParse(value, out _));

    [Fact]
    public void StarContactIsTheWildcard()
    {
        Assert.True(ContactHeader.TryParse(" * ", out var star));
        Assert.True(star.IsStar);
        Assert.Null(star.Address);
        Assert.Equal("*", star.ToString());
        Assert.True(ContactHeader.TryParse("<sip:a@h>;expires=60;q=0.5", out var one));
        Assert.Equal((60, 0.5), (one.Expires, one.Q));
    }

    [Theory]
    [InlineData("i", HeaderId.CallId)]
    [InlineData("m", HeaderId.Contact)]
    [InlineData("e", HeaderId.ContentEncoding)]
    [InlineData("c", HeaderId.ContentType)]
    [InlineData("f", HeaderId.From)]
    [InlineData("s", HeaderId.Subject)]
    [InlineData("k", HeaderId.Supported)]
    [InlineData("t", HeaderId.To)]
    [InlineData("v", HeaderId.Via)]
    [InlineData("o", HeaderId.Event)]
    [InlineData("r", HeaderId.ReferTo)]
    [InlineData("b", HeaderId.ReferredBy)]
    [InlineData("u", HeaderId.AllowEvents)]
    [InlineData("x", HeaderId.SessionExpires)]
    [InlineData("V", HeaderId.Via)]
    [InlineData("cAlL-iD", HeaderId.CallId)]
    [InlineData("X-Unknown", HeaderId.Unknown)]
    public void CompactAndCaseInsensitiveNamesMapToTheirHeader(string name, HeaderId id)
    {
        Assert.Equal(id, HeaderNames.Lookup(name.AsSpan()));
        var message = Parser.Parse(Encoding.ASCII.GetBytes($"OPTIONS sip:a@h SIP/2.0\r\n{name}: value\r\nContent-Length: 0\r\n\r\n"));
        Assert.Equal(id, message.Headers.IdAt(0));
        Assert.Equal(name, message.Headers.NameAt(0));
        Assert.Equal("value", message.Headers[name]);
    }

    [Fact]
    public void EveryKnownNameIsFoundInAnyCaseAndNearMissesAreNot()
    {
        foreach (HeaderId id in Enum.GetValues<HeaderId>().Where(id => id != HeaderId.Unknown))
        {
            string name = HeaderNames.GetName(id);
            foreach (string spelling in new[] { name, name.ToUpperInvariant(), name.ToLowerInvariant() })
            {
                Assert.Equal(id, HeaderNames.Lookup(Encoding.ASCII.GetBytes(spelling)));
                string head = id == HeaderId.ContentLength ? $"{spelling}: 0\r\n" : $"{spelling}: value\r\nl: 0\r\n";
                var message = Parser.Parse(Encoding.ASCII.GetBytes($"OPTIONS sip:a@h SIP/2.0\r\n{head}\r\n"));
                Assert.Equal(id, message.Headers.IdAt(0));
            }

            // One byte more, one less, one changed (first, middle, last): no longer that header.
            Assert.NotEqual(id, HeaderNames.Lookup(Encoding.ASCII.GetBytes(name + "x")));
            // ("To" less a byte is "T", the compact form of To: a name of its own.)
            if (name.Length > 2)
            {
                Assert.NotEqual(id, HeaderNames.Lookup(Encoding.ASCII.GetBytes(name[..^1])));
            }

            foreach (int at in new[] { 0, name.Length / 2, name.Length - 1 })
            {
                char[] changed = name.ToCharArray();
                changed[at] = changed[at] == 'q' ? 'z' : 'q';
                Assert.NotEqual(id, HeaderNames.Lookup(Encoding.ASCII.GetBytes(changed)));
            }
        }
    }

    [Theory]
    [InlineData("Supported: 100rel, timer, path\r\n", "Supported: 100rel\r\nk: timer\r\nSupported: path\r\n")]
    [InlineData("Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2\r\n", "Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nv: SIP/2.0/TCP b;branch=z9hG4bK2\r\n")]
    [InlineData("Contact: \"Doe, John\" <sip:j@h>, <sip:k@h;x=a,b>\r\n", "Contact: \"Doe, John\" <sip:j@h>\r\nm: <sip:k@h;x=a,b>\r\n")]
    [InlineData("Route: <sip:p1@h;lr>,\r\n <sip:p2@h;lr>\r\n", "Route: <sip:p1@h;lr>\r\nRoute: <sip:p2@h;lr>\r\n")]
    public void CommaSeparatedAndRepeatedHeadersGiveTheSameValues(string commaForm, string repeatedForm)
    {
        var a = Parser.Parse(Encoding.ASCII.GetBytes("OPTIONS sip:a@h SIP/2.0\r\n" + commaForm + "l: 0\r\n\r\n"));
        var b = Parser.Parse(Encoding.ASCII.GetBytes("OPTIONS sip:a@h SIP/2.0\r\n" + repeatedForm + "l: 0\r\n\r\n"));
        HeaderId id = a.Headers.IdAt(0);

        List<string> values = a.Headers.GetValues(id);
        Assert.True(values.Count >= 2);
        Assert.Equal(values, b.Headers.GetValues(id));
    }

    [Fact]
    public void ContactListGivesEveryContact()
    {
        var message = Parser.Parse(Encoding.ASCII.GetBytes(
            "REGISTER sip:h SIP/2.0\r\nContact: \"Doe, John\" <sip:j@h>;q=0.7, <sip:k@h>\r\nm: *\r\nl: 0\r\n\r\n"));
        var contacts = message.GetContacts();
        Assert.Equal(3, contacts.Count);
        Assert.Equal("Doe, John", contacts[0].Address!.DisplayName);
        Assert.Equal(0.7, contacts[0].Q);
        Assert.True(contacts[2].IsStar);
    }

    [Fact]
    public void AuthenticationHeadersAreNotSplitOnCommas()
    {
        var message = Parser.Parse(Encoding.ASCII.GetBytes(
            "REGISTER sip:h SIP/2.0\r\nAuthorization: Digest username=\"a\", realm=\"r\", nonce=\"n\"\r\nl: 0\r\n\r\n"));
        Assert.Single(message.Headers.GetValues(HeaderId.Authorization));
    }
}
