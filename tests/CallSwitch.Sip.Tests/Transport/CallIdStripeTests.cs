using System.Text;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transport;

public class CallIdStripeTests
{
    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: abc@host\r\nCSeq: 1 INVITE\r\n\r\n", "abc@host")]
    [InlineData("SIP/2.0 200 OK\r\ni:abc@host\r\n\r\n", "abc@host")]
    [InlineData("BYE sip:a@b SIP/2.0\r\nCALL-id \t:  abc@host \t\r\n\r\n", "abc@host")]
    [InlineData("BYE sip:a@b SIP/2.0\nVia: x\ncall-id: lf-only\n\n", "lf-only")]
    [InlineData("BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;received=1.2.3.4\r\nI: compact\r\n", "compact")]
    public void TheCallIdIsFoundInAnyOfItsSpellings(string message, string callId) =>
        Assert.Equal(callId, Encoding.ASCII.GetString(CallIdStripe.Find(Encoding.ASCII.GetBytes(message))));

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: x\r\n\r\nCall-ID: in-the-body\r\n")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nX-Call-ID: not-it\r\nid: not-it-either\r\n\r\n")]
    public void WithoutACallIdInTheHeadTheStripeIsZero(string message)
    {
        Assert.True(CallIdStripe.Find(Encoding.ASCII.GetBytes(message)).IsEmpty);
        Assert.Equal(0, CallIdStripe.Of(Encoding.ASCII.GetBytes(message), 64));
    }

    [Fact]
    public void OneCallIsOneStripeWhateverTheMessageAndCallsSpreadOverTheStripes()
    {
        string invite = "INVITE sip:a@b SIP/2.0\r\nCall-ID: {0}\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\n";
        string ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\ni: {0}\r\n\r\n";
        var used = new HashSet<int>();
        for (int i = 0; i < 1000; i++)
        {
            string callId = Guid.NewGuid().ToString("N") + "@10.0.0." + i;
            int stripe = CallIdStripe.Of(Encoding.ASCII.GetBytes(string.Format(invite, callId)), 64);
            Assert.Equal(stripe, CallIdStripe.Of(Encoding.ASCII.GetBytes(string.Format(ok, callId)), 64));
            Assert.InRange(stripe, 0, 63);
            used.Add(stripe);
        }

        Assert.Equal(64, used.Count);
    }
}
