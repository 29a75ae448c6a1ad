using CallSwitch.Sip.Sdp;

namespace CallSwitch.Sip.Tests.Sdp;

public sealed class SessionDescriptionMalformedTests
{
    private const string _head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";

    [Theory]
    [InlineData("", "empty session description")]
    [InlineData("\r\n\r\n", "empty session description")]
    [InlineData("hello world\r\n", "not a '<type>=<value>' line")]
    [InlineData("o=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n", "must start with 'v=0'")]
    [InlineData("v=1\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n", "unsupported SDP version")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", "missing 'o=' line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\nt=0 0\r\n", "missing 's=' line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n", "missing 's=' line before the first 'm='")]
    [InlineData("v=0\r\no=- 1 IN IP4 10.0.0.1\r\ns=-\r\n", "origin must have 6 fields")]
    [InlineData("v=0\r\no=- abc 1 IN IP4 10.0.0.1\r\ns=-\r\n", "session id must be a number")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n", "duplicate 'o=' line")]
    [InlineData("v=0\r\nv=0\r\n", "duplicate 'v=' line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4\r\n", "connection must be")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP6 10.0.0.1\r\n", "not a valid IP6 address")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 300.1.1.1\r\n", "not a valid IP4 address")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=now 0\r\n", "timing must be")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nr=604800 3600 0\r\n", "without a preceding 't='")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nb=AS\r\n", "bandwidth must be")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\na=\r\n", "attribute name must be a token")]
    [InlineData("V=0\r\n", "not a '<type>=<value>' line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\ni=one\r\ni=two\r\n", "duplicate 'i=' line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=a\0b\r\n", "control character")]
    public void SessionLevelGarbage_IsRefusedWithAMessage(string text, string expected)
    {
        AssertRefused(text, expected);
    }

    [Theory]
    [InlineData("m=audio abc RTP/AVP 0", "bad media port 'abc'")]
    [InlineData("m=audio 70000 RTP/AVP 0", "bad media port '70000'")]
    [InlineData("m=audio -1 RTP/AVP 0", "bad media port '-1'")]
    [InlineData("m=audio 4000/0 RTP/AVP 0", "bad number of ports")]
    [InlineData("m=audio 4000 RTP/AVP 0 PCMA", "RTP payload type 'PCMA' is not a number")]
    [InlineData("m=audio 4000 RTP/AVP 128", "RTP payload type '128' is not a number")]
    [InlineData("m=audio 4000 RTP/AVP", "media line has no formats")]
    [InlineData("m=audio 4000", "media line must be")]
    [InlineData("m=audio 4000 RTP//AVP 0", "must be tokens")]
    public void BadMediaLine_IsRefusedWithAMessage(string mediaLine, string expected)
    {
        AssertRefused(_head + mediaLine + "\r\n", expected);
    }

    [Fact]
    public void SessionLevelLineInsideMedia_IsRefused()
    {
        AssertRefused(_head + "m=audio 4000 RTP/AVP 0\r\nt=0 0\r\n", "'t=' is a session-level line");
    }

    [Fact]
    public void Error_NamesTheLineNumberAndQuotesIt()
    {
        Assert.False(SessionDescription.TryParse(_head + "m=audio 4000 RTP/AVP 0 x\r\n", out _, out var error));

        Assert.StartsWith("line 6: ", error, StringComparison.Ordinal);
        Assert.EndsWith("('m=audio 4000 RTP/AVP 0 x')", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LongOffendingLine_IsTruncatedInTheMessage()
    {
        Assert.False(SessionDescription.TryParse(_head + "m=audio 4000 RTP/AVP " + new string('x', 500) + "\r\n", out _, out var error));

        Assert.True(error.Length < 200, error);
    }

    private static void AssertRefused(string text, string expected)
    {
        Assert.False(SessionDescription.TryParse(text, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
