using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Tests.Rfc4475;

/// <summary>
/// Loads the RFC 4475 messages: the loopback-safe <c>*.sip</c> copies and the byte-exact
/// <c>original/*.dat</c>. Every test takes <c>original</c> so that both parse the same way.
/// </summary>
internal static class Rfc4475Corpus
{
    /// <summary>The 49 messages of RFC 4475 §3, in the RFC's order.</summary>
    public static readonly string[] Names =
    [
        "wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri", "transports",
        "mpart01", "unreason", "noreason",
        "badinv01", "clerr", "ncl", "scalar02", "scalarlg", "quotbal", "ltgtruri", "lwsruri", "lwsstart", "trws",
        "escruri", "baddate", "regbadct", "badaspec", "baddn", "badvers", "mismatch01", "mismatch02", "bigcode",
        "badbranch",
        "insuf", "unkscm", "novelsc", "unksm2", "bext01", "invut", "regaut01", "multi01", "mcl01", "bcast", "zeromf",
        "cparam01", "cparam02", "regescrt", "sdp01",
        "inv2543",
    ];

    public static readonly SipMessageParser Parser = new();

    public static readonly SipRequestValidator Validator = new();

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Rfc4475");

    public static byte[] Load(string name, bool original) =>
        File.ReadAllBytes(original ? Path.Combine(Directory, "original", name + ".dat") : Path.Combine(Directory, name + ".sip"));

    /// <summary>Parses a message the RFC says a parser must accept.</summary>
    public static SipMessage Parse(string name, bool original)
    {
        bool ok = Parser.TryParse(Load(name, original), out SipMessage? message, out SipParseError? error);
        Assert.True(ok, $"{name}: {error}");
        return message!;
    }

    public static SipRequest ParseRequest(string name, bool original) => Assert.IsType<SipRequest>(Parse(name, original));

    public static SipResponse ParseResponse(string name, bool original) => Assert.IsType<SipResponse>(Parse(name, original));

    /// <summary>Parses a message the RFC says must be refused by the parser; returns the error.</summary>
    public static SipParseError ParseError(string name, bool original)
    {
        bool ok = Parser.TryParse(Load(name, original), out _, out SipParseError? error);
        Assert.False(ok, $"{name} should not parse");
        return error!;
    }

    /// <summary>Parses a well-formed request and validates it as a UAS would.</summary>
    public static (SipRequest Request, SipValidationResult Result) ParseAndValidate(string name, bool original)
    {
        SipRequest request = ParseRequest(name, original);
        return (request, Validator.Validate(request));
    }

    /// <summary>A refused request must still give a routable error response (RFC 3261 §8.2.6).</summary>
    public static SipResponse AssertRefusal(SipRequest request, SipValidationResult result, int statusCode)
    {
        Assert.False(result.IsValid, "expected a refusal");
        Assert.Equal(statusCode, result.StatusCode);
        Assert.True(result.CanRespond);
        SipResponse response = SipResponseFactory.CreateResponse(request, result);
        Assert.Equal(statusCode, response.StatusCode);
        Assert.Equal(request.Headers.GetValues(HeaderId.Via), response.Headers.GetValues(HeaderId.Via));
        var reparsed = Assert.IsType<SipResponse>(Parser.Parse(response.ToBytes()));
        Assert.Equal(statusCode, reparsed.StatusCode);
        return reparsed;
    }
}
