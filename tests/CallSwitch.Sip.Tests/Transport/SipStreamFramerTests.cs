using System.Text;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Tests.Transport;

public class SipStreamFramerTests
{
    internal const string Options =
        "OPTIONS sip:switch.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP 10.0.0.5:40123;branch=z9hG4bKa1\r\n" +
        "From: <sip:1001@switch.example.com>;tag=1\r\n" +
        "To: <sip:switch.example.com>\r\n" +
        "Call-ID: framer-1\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    // A body that itself holds an empty line: only Content-Length says where it ends.
    internal const string Message =
        "MESSAGE sip:1002@switch.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP 10.0.0.5:40123;branch=z9hG4bKa2\r\n" +
        "From: <sip:1001@switch.example.com>;tag=1\r\n" +
        "To: <sip:1002@switch.example.com>\r\n" +
        "Call-ID: framer-2\r\n" +
        "CSeq: 2 MESSAGE\r\n" +
        "Content-Type: text/plain\r\n" +
        "l: 12\r\n" +
        "\r\n" +
        "ab\r\n\r\ncd\r\n\r\n";

    [Fact]
    public void SplitAtEveryByteBoundaryOfTwoMessages()
    {
        byte[] both = Encoding.ASCII.GetBytes(Options + Message);
        for (int split = 0; split <= both.Length; split++)
        {
            var framer = new SipStreamFramer();
            var frames = new List<string>();
            Assert.True(framer.Append(both.AsSpan(0, split)));
            Drain(framer, frames);
            Assert.True(framer.Append(both.AsSpan(split)));
            Drain(framer, frames);

            Assert.Equal([Options, Message], frames);
            Assert.Equal(0, framer.BufferedBytes);
        }
    }

    [Fact]
    public void OneByteAtATime()
    {
        byte[] both = Encoding.ASCII.GetBytes(Message + Options + Message);
        var framer = new SipStreamFramer();
        var frames = new List<string>();
        foreach (byte b in both)
        {
            framer.Append([b]);
            Drain(framer, frames);
        }

        Assert.Equal([Message, Options, Message], frames);
    }

    [Fact]
    public void ManyMessagesInOneBuffer()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            text.Append(i % 2 == 0 ? Options : Message);
        }

        var framer = new SipStreamFramer();
        var frames = new List<string>();
        Assert.True(framer.Append(Encoding.ASCII.GetBytes(text.ToString())));
        Drain(framer, frames);

        Assert.Equal(50, frames.Count);
        Assert.Equal(Message, frames[49]);
    }

    [Fact]
    public void FramedMessageIsAnExactSizeCopy()
    {
        var framer = new SipStreamFramer();
        framer.Append(Encoding.ASCII.GetBytes(Message + "INVITE"));

        Assert.Equal(SipStreamFrameKind.Message, framer.TryReadFrame(out byte[]? frame));
        Assert.Equal(Message.Length, frame!.Length);
        Assert.Equal(SipStreamFrameKind.NeedMoreData, framer.TryReadFrame(out _));
        Assert.Equal(6, framer.BufferedBytes);

        // The copy is the caller's: more reads do not change it.
        framer.Append(Encoding.ASCII.GetBytes(" sip:x SIP/2.0\r\n\r\n"));
        Assert.Equal(Message, Encoding.ASCII.GetString(frame));
    }

    [Fact]
    public void DoubleCrlfIsAPingAndLoneCrlfAPong()
    {
        var framer = new SipStreamFramer();
        var kinds = new List<SipStreamFrameKind>();
        framer.Append("\r\n\r\n"u8);
        kinds.Add(framer.TryReadFrame(out _));
        framer.Append(Encoding.ASCII.GetBytes("\r\n" + Options + "\r\n\r\n" + Options));
        SipStreamFrameKind kind;
        while ((kind = framer.TryReadFrame(out _)) != SipStreamFrameKind.NeedMoreData)
        {
            kinds.Add(kind);
        }

        Assert.Equal(
            [SipStreamFrameKind.KeepAlivePing, SipStreamFrameKind.KeepAlivePong, SipStreamFrameKind.Message, SipStreamFrameKind.KeepAlivePing, SipStreamFrameKind.Message],
            kinds);
    }

    [Fact]
    public void PingSplitOverReadsIsStillAPing()
    {
        var framer = new SipStreamFramer();
        framer.Append("\r\n"u8);
        Assert.Equal(SipStreamFrameKind.NeedMoreData, framer.TryReadFrame(out _));
        framer.Append("\r"u8);
        Assert.Equal(SipStreamFrameKind.NeedMoreData, framer.TryReadFrame(out _));
        framer.Append("\n"u8);
        Assert.Equal(SipStreamFrameKind.KeepAlivePing, framer.TryReadFrame(out _));
        Assert.Equal(SipStreamFrameKind.NeedMoreData, framer.TryReadFrame(out _));
    }

    [Fact]
    public void MissingContentLengthMeansNoBody()
    {
        string noLength = Options.Replace("Content-Length: 0\r\n", string.Empty, StringComparison.Ordinal);
        var framer = new SipStreamFramer();
        var frames = new List<string>();
        framer.Append(Encoding.ASCII.GetBytes(noLength + Options));
        Drain(framer, frames);

        Assert.Equal([noLength, Options], frames);
    }

    [Theory]
    [InlineData("Content-Length: -1")]
    [InlineData("Content-Length: abc")]
    [InlineData("Content-Length: 12abc")]
    [InlineData("Content-Length: +3")]
    [InlineData("Content-Length: ")]
    [InlineData("Content-Length: 99999999999")]
    [InlineData("Content-Length: 70000")]
    [InlineData("Content-Length: 0\r\nl: 5")]
    public void BadContentLengthIsAFramingError(string header)
    {
        string bad = Options.Replace("Content-Length: 0", header, StringComparison.Ordinal);
        var framer = new SipStreamFramer();
        framer.Append(Encoding.ASCII.GetBytes(bad + Options));

        Assert.Equal(SipStreamFrameKind.Error, framer.TryReadFrame(out byte[]? frame));
        Assert.Null(frame);
        Assert.NotNull(framer.Error);

        // The stream stays failed: the connection must close.
        Assert.Equal(SipStreamFrameKind.Error, framer.TryReadFrame(out _));
    }

    [Fact]
    public void OversizedHeadIsAFramingError()
    {
        var limits = new SipParserLimits { MaxHeadBytes = 1024, MaxMessageBytes = 4096 };
        var framer = new SipStreamFramer(limits);
        framer.Append(Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nX-Long: " + new string('x', 1100)));

        Assert.Equal(SipStreamFrameKind.Error, framer.TryReadFrame(out _));
        Assert.Contains("head", framer.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void BodyOverTheMessageLimitIsAFramingError()
    {
        var limits = new SipParserLimits { MaxHeadBytes = 1024, MaxMessageBytes = 2048 };
        var framer = new SipStreamFramer(limits);
        framer.Append(Encoding.ASCII.GetBytes(Options.Replace("Content-Length: 0", "Content-Length: 2000", StringComparison.Ordinal)));

        Assert.Equal(SipStreamFrameKind.Error, framer.TryReadFrame(out _));
    }

    [Fact]
    public void LargeBodyAcrossManyReads()
    {
        string body = new('b', 40_000);
        string big = Options.Replace("Content-Length: 0", "Content-Length: 40000", StringComparison.Ordinal) + body;
        byte[] bytes = Encoding.ASCII.GetBytes(big + Options);
        var framer = new SipStreamFramer();
        var frames = new List<string>();
        for (int i = 0; i < bytes.Length; i += 1000)
        {
            framer.Append(bytes.AsSpan(i, Math.Min(1000, bytes.Length - i)));
            Drain(framer, frames);
        }

        Assert.Equal([big, Options], frames);
    }

    private static void Drain(SipStreamFramer framer, List<string> frames)
    {
        while (true)
        {
            SipStreamFrameKind kind = framer.TryReadFrame(out byte[]? frame);
            if (kind == SipStreamFrameKind.NeedMoreData)
            {
                return;
            }

            Assert.Equal(SipStreamFrameKind.Message, kind);
            frames.Add(Encoding.ASCII.GetString(frame!));
        }
    }
}
