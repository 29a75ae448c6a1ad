using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Tests.Rfc4475;

namespace CallSwitch.Sip.Tests.Parsing;

/// <summary>
/// Mutation fuzzing of the parser, the typed views, the writer, the validators and the response
/// factory: from valid seeds, thousands of seeded mutants (truncations, byte flips, NULs, CRLFs,
/// header-name garbage, splices, huge headers, bad Content-Lengths). Nothing may throw; a refusal
/// is always a 4xx/5xx; whatever parses re-parses after being written back.
/// </summary>
public class SipParserFuzzTests
{
    private const string TypicalInvite =
        "INVITE sip:+33612345678@127.0.0.1:5060;user=phone SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:+33612345678@127.0.0.1;user=phone>\r\n" +
        "From: \"Agent \\\"One\\\"\" <sip:1001@127.0.0.1>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@127.0.0.1\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:1001@127.0.0.1:5099;transport=udp>;expires=3600, \"B\" <sips:[2001:db8::10]:5071>\r\n" +
        "Supported: 100rel, timer\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 145\r\n" +
        "\r\n" +
        "v=0\r\n" +
        "o=- 20518 0 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "c=IN IP4 127.0.0.1\r\n" +
        "t=0 0\r\n" +
        "m=audio 40000 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=sendrecv\r\n";

    private static readonly SipMessageParser Parser = new();

    private static readonly SipRequestValidator Validator = new();

    private static readonly byte[][] Seeds = BuildSeeds();

    [Fact]
    public void TypicalInviteSeedIsWellFormed()
    {
        var request = Assert.IsType<SipRequest>(Parser.Parse(Encoding.ASCII.GetBytes(TypicalInvite)));
        Assert.Equal(145, request.Body.Length);
        Assert.True(Validator.Validate(request).IsValid);
        Assert.Equal(2, request.GetContacts().Count);
    }

    [Theory]
    [InlineData("wsinv")]
    [InlineData("unreason")]
    [InlineData("intmeth")]
    [InlineData(null)]
    public void TruncationAtEveryLengthNeverThrows(string? name)
    {
        byte[] seed = name is null ? Encoding.ASCII.GetBytes(TypicalInvite) : Rfc4475Corpus.Load(name, false);
        int parsed = 0;
        for (int length = 0; length <= seed.Length; length++)
        {
            parsed += Exercise(seed.AsMemory(0, length).ToArray()) ? 1 : 0;
        }

        // Every seed announces its body length, so a cut anywhere (head or body) is refused and
        // only the whole message parses.
        Assert.Equal(1, parsed);
    }

    [Fact]
    public void RandomByteFlipsNeverThrow()
    {
        var random = new Random(4475);
        int count = 0;
        foreach (byte[] seed in Seeds)
        {
            for (int n = 0; n < 200; n++)
            {
                byte[] mutant = (byte[])seed.Clone();
                int flips = random.Next(1, 9);
                for (int f = 0; f < flips; f++)
                {
                    int at = random.Next(mutant.Length);
                    mutant[at] = random.Next(4) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256);
                }

                Exercise(mutant);
                count++;
            }
        }

        Assert.True(count >= 10_000, $"only {count} mutants");
    }

    [Fact]
    public void InsertedNulBytesNeverThrowAndAreRefusedOutsideQuotedPairs()
    {
        var random = new Random(1);
        int refused = 0;
        for (int n = 0; n < 600; n++)
        {
            byte[] seed = Seeds[random.Next(Seeds.Length)];
            int head = HeadLength(seed);
            int at = random.Next(1, head);
            byte[] mutant = [.. seed[..at], 0, .. seed[at..]];
            bool ok = Exercise(mutant);
            if (!ok || (seed[at - 1] != '\\' && at < head))
            {
                refused++;
                Assert.False(ok && seed[at - 1] != '\\', "NUL in the head outside a quoted-pair was accepted");
            }
        }

        Assert.True(refused > 500);
    }

    [Fact]
    public void DuplicatedLineEndsNeverThrow()
    {
        var random = new Random(2);
        for (int n = 0; n < 1500; n++)
        {
            byte[] seed = Seeds[random.Next(Seeds.Length)];
            var mutant = new List<byte>(seed);
            int inserts = random.Next(1, 4);
            for (int i = 0; i < inserts; i++)
            {
                int at = random.Next(mutant.Count + 1);
                byte[] piece = random.Next(3) switch { 0 => "\r\n"u8.ToArray(), 1 => "\n"u8.ToArray(), _ => "\r\n\r\n"u8.ToArray() };
                mutant.InsertRange(at, piece);
            }

            Exercise([.. mutant]);
        }
    }

    [Fact]
    public void HeaderNameGarbageNeverThrows()
    {
        var random = new Random(3);
        for (int n = 0; n < 1500; n++)
        {
            byte[] seed = Seeds[random.Next(Seeds.Length)];
            int firstLineEnd = Array.IndexOf(seed, (byte)'\n') + 1;
            byte[] name = new byte[random.Next(0, 40)];
            random.NextBytes(name);
            byte[] line = [.. name, (byte)':', .. "x\r\n"u8];
            int at = random.Next(2) == 0 ? firstLineEnd : Math.Max(firstLineEnd, HeadLength(seed) - 2);
            Exercise([.. seed[..at], .. line, .. seed[at..]]);
        }
    }

    [Fact]
    public void SplicesOfTwoMessagesNeverThrow()
    {
        var random = new Random(5);
        for (int n = 0; n < 1500; n++)
        {
            byte[] a = Seeds[random.Next(Seeds.Length)];
            byte[] b = Seeds[random.Next(Seeds.Length)];
            int cutA = random.Next(a.Length);
            int cutB = random.Next(b.Length);
            Exercise([.. a[..cutA], .. b[cutB..]]);
        }
    }

    [Fact]
    public void RandomBuffersNeverThrow()
    {
        var random = new Random(6);
        for (int n = 0; n < 500; n++)
        {
            byte[] buffer = new byte[random.Next(0, 2048)];
            random.NextBytes(buffer);
            if (random.Next(2) == 0 && buffer.Length > 40)
            {
                "OPTIONS sip:a@b SIP/2.0\r\n"u8.CopyTo(buffer);
            }

            Assert.False(Exercise(buffer) && buffer.AsSpan().IndexOf("\r\n\r\n"u8) < 0 && buffer.AsSpan().IndexOf("\n\n"u8) < 0);
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-999")]
    [InlineData("99999999999999999999")]
    [InlineData("2147483648")]
    [InlineData("4294967296")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("5 5")]
    [InlineData("0x10")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData("146")]
    [InlineData("0146")]
    public void BadContentLengthsAreRefusedWith400(string value)
    {
        string text = TypicalInvite.Replace("Content-Length: 145", "Content-Length: " + value, StringComparison.Ordinal);
        byte[] wire = Encoding.ASCII.GetBytes(text);
        Assert.False(Exercise(wire));
        Assert.False(Parser.TryParse(wire, out _, out var error));
        Assert.Equal(400, error.StatusCode);
        Assert.True(SipResponseFactory.TryCreateResponse(error, out var response), error.ToString());
        Assert.Equal(400, response.StatusCode);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0145", 145)]
    [InlineData("  145  ", 145)]
    [InlineData("10", 10)]
    public void ShorterOrPaddedContentLengthsCutTheBody(string value, int expected)
    {
        string text = TypicalInvite.Replace("Content-Length: 145", "Content-Length: " + value, StringComparison.Ordinal);
        Assert.True(Exercise(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, Parser.Parse(Encoding.ASCII.GetBytes(text)).Body.Length);
    }

    [Fact]
    public void HugeHeaderIsRefusedWithoutThrowing()
    {
        string huge = TypicalInvite.Replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nX-Huge: " + new string('a', 100_000) + "\r\n", StringComparison.Ordinal);
        Assert.False(Exercise(Encoding.ASCII.GetBytes(huge)));
        Assert.False(Parser.TryParse(Encoding.ASCII.GetBytes(huge), out _, out var error));
        Assert.Equal(513, error.StatusCode);
    }

    [Fact]
    public void FiveThousandViasAreRefusedWithoutThrowing()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            sb.Append("Via: SIP/2.0/UDP 127.0.0.").Append(i % 250).Append(";branch=z9hG4bK").Append(i).Append("\r\n");
        }

        byte[] wire = Encoding.ASCII.GetBytes(TypicalInvite.Replace("Max-Forwards: 70\r\n", sb + "Max-Forwards: 70\r\n", StringComparison.Ordinal));
        Assert.False(Exercise(wire));

        // Even with room for the bytes, the header count bounds the work.
        var roomy = new SipMessageParser(new SipParserLimits { MaxMessageBytes = 1 << 20, MaxHeadBytes = 1 << 20 });
        Assert.False(roomy.TryParse(wire, out _, out var error));
        Assert.Equal((400, "Too Many Headers"), (error.StatusCode, error.Reason));
    }

    private static readonly byte[] Interesting = ":;,<>\"\\ \t\r\n@%=?/[]0"u8.ToArray();

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]> { Encoding.ASCII.GetBytes(TypicalInvite) };
        foreach (string name in Rfc4475Corpus.Names)
        {
            seeds.Add(Rfc4475Corpus.Load(name, false));
        }

        return [.. seeds];
    }

    private static int HeadLength(byte[] message)
    {
        int end = message.AsSpan().IndexOf("\r\n\r\n"u8);
        return end < 0 ? message.Length : end + 2;
    }

    /// <summary>Parses and touches everything; returns whether the message parsed. Any exception fails the test with the input.</summary>
    private static bool Exercise(byte[] input)
    {
        try
        {
            if (!Parser.TryParse(input, out SipMessage? message, out SipParseError? error))
            {
                Assert.InRange(error.StatusCode, 400, 599);
                Assert.False(string.IsNullOrEmpty(error.Reason));
                if (error.Partial is not null)
                {
                    Touch(error.Partial, reparse: false);
                }

                if (SipResponseFactory.TryCreateResponse(error, out SipResponse? answer))
                {
                    Assert.Equal(error.StatusCode, answer.StatusCode);
                    Assert.True(Parser.TryParse(answer.ToBytes(), out _, out _));
                }

                return false;
            }

            Touch(message, reparse: true);
            return true;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message} on input {Convert.ToBase64String(input)}\n{e.StackTrace}");
            return false;
        }
    }

    private static void Touch(SipMessage message, bool reparse)
    {
        _ = message.From?.Uri.ToString();
        _ = message.To?.Tag;
        _ = message.TopVia?.Branch;
        _ = message.CallId;
        _ = message.CSeq;
        _ = message.MaxForwards;
        _ = message.ContentLength;
        _ = message.Expires;
        _ = message.ContentType;
        _ = message.BodyText;
        foreach (ViaHeader via in message.GetVias())
        {
            _ = via.ToString();
            _ = via.RPort;
        }

        foreach (ContactHeader contact in message.GetContacts())
        {
            _ = contact.ToString();
            _ = (contact.Expires, contact.Q);
        }

        var enumerated = message.Headers.Enumerate().ToList();
        Assert.Equal(message.Headers.Count, enumerated.Count);
        for (int i = 0; i < message.Headers.Count; i++)
        {
            _ = message.Headers.RawValueAt(i).Length;
            _ = message.Headers.GetValues(message.Headers.IdAt(i));
        }

        if (message is SipRequest request)
        {
            _ = request.Uri?.ToString();
            _ = request.RequestUri;
            SipValidationResult result = Validator.Validate(request);
            if (result.CanRespond)
            {
                SipResponse answer = SipResponseFactory.CreateResponse(request, result);
                Assert.True(Parser.TryParse(answer.ToBytes(), out _, out var answerError), answerError?.ToString());
            }

            _ = SipResponseFactory.CreateResponse(request, 200).ToBytes();
        }
        else if (message is SipResponse response)
        {
            _ = response.ReasonPhrase;
            _ = SipResponseValidator.Validate(response);
        }

        byte[] written = message.ToBytes();
        if (reparse)
        {
            Assert.True(Parser.TryParse(written, out SipMessage? again, out SipParseError? error), $"re-parse: {error}");
            Assert.Equal(message.Headers.Count, again.Headers.Count);
            Assert.Equal(message.Body.Length, again.Body.Length);
            Assert.Equal(message.IsRequest, again.IsRequest);
        }
    }
}
