using System.Globalization;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>
/// The checks a UAS or registrar applies to a parsed request before it reaches a transaction
/// (RFC 3261 §8.2, §10.3, §16.3), in the order that RFC 4475 expects: syntax of the mandatory
/// headers (400), method (501/405), CSeq method (400), Max-Forwards (483), Request-URI scheme
/// (416), registrar rules (400), Require (420), body (415) and Accept (406). Never throws on
/// hostile input; thread-safe (it holds only its options).
/// </summary>
public sealed class SipRequestValidator
{
    /// <summary>The reason phrase of the 400 to a request whose top Via branch identifies no transaction.</summary>
    public const string MalformedViaBranch = "Malformed Via Branch";

    private static readonly (HeaderId Id, string Name)[] Mandatory =
    [
        (HeaderId.To, "To"), (HeaderId.From, "From"), (HeaderId.CallId, "Call-ID"), (HeaderId.CSeq, "CSeq"), (HeaderId.Via, "Via"),
    ];

    private static readonly (HeaderId Id, string Name)[] SingleValued =
    [
        (HeaderId.To, "To"), (HeaderId.From, "From"), (HeaderId.CallId, "Call-ID"), (HeaderId.CSeq, "CSeq"),
        (HeaderId.MaxForwards, "Max-Forwards"), (HeaderId.ContentLength, "Content-Length"), (HeaderId.ContentType, "Content-Type"),
        (HeaderId.Expires, "Expires"),
    ];

    private readonly SipValidatorOptions _options;

    /// <summary>Creates a validator.</summary>
    public SipRequestValidator(SipValidatorOptions? options = null) => _options = options ?? SipValidatorOptions.Default;

    /// <summary>The options in use.</summary>
    public SipValidatorOptions Options => _options;

    /// <summary>
    /// Validates a request. A refused ACK is marked as not to be answered (RFC 3261 §17.2.3:
    /// an ACK never gets a response).
    /// </summary>
    public SipValidationResult Validate(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SipValidationResult result = Check(request);
        return request.Method == SipMethods.Ack ? result.WithoutResponse() : result;
    }

    private SipValidationResult Check(SipRequest request)
    {
        SipHeaderCollection headers = request.Headers;
        SipValidationResult? failure = CheckHeaderPresence(headers) ?? CheckVias(request) ?? CheckAddresses(request);
        if (failure is not null)
        {
            return failure;
        }

        if (request.CSeq is not CSeqHeader cseq)
        {
            // RFC 3261 §8.1.1.5: the number must be below 2**31 (RFC 4475 §3.1.2.4 scalar02).
            return SipValidationResult.Reject(400, IsOverlargeCSeq(headers[HeaderId.CSeq]) ? "CSeq Number Out Of Range" : "Malformed CSeq");
        }

        if (request.Uri is not AddressUri uri)
        {
            // Not even an absolute URI: angle brackets, white space… (RFC 4475 §3.1.2.7 ltgtruri).
            return SipValidationResult.Reject(400, "Malformed Request-URI");
        }

        failure = CheckMethod(request.Method);
        if (failure is not null)
        {
            return failure;
        }

        // RFC 3261 §8.1.1.5: the CSeq method must match the request method (RFC 4475 §3.1.2.17).
        if (!string.Equals(cseq.Method, request.Method, StringComparison.Ordinal))
        {
            return SipValidationResult.Reject(400, "CSeq Method Does Not Match Request Method");
        }

        if (_options.RejectZeroMaxForwards && request.MaxForwards == 0 && request.Method != SipMethods.Options)
        {
            return SipValidationResult.Reject(483, "Too Many Hops");
        }

        failure = CheckRequestUri(uri) ?? CheckRegister(request) ?? CheckContacts(request);
        if (failure is not null)
        {
            return failure;
        }

        if (request.Method != SipMethods.Ack && request.Method != SipMethods.Cancel)
        {
            // RFC 3261 §8.2.2.3: Require is not checked for ACK and CANCEL.
            failure = CheckRequire(headers);
            if (failure is not null)
            {
                return failure;
            }
        }

        return CheckBody(request) ?? CheckAccept(request) ?? CheckDate(headers) ?? SipValidationResult.Valid;
    }

    private static SipValidationResult? CheckHeaderPresence(SipHeaderCollection headers)
    {
        List<string>? missing = null;
        foreach (var (id, name) in Mandatory)
        {
            if (!headers.Contains(id))
            {
                (missing ??= []).Add(name);
            }
        }

        if (missing is not null)
        {
            // RFC 3261 §8.1.1; RFC 4475 §3.3.1 insuf.
            return SipValidationResult.Reject(400, "Missing " + string.Join(", ", missing));
        }

        foreach (var (id, name) in SingleValued)
        {
            if (headers.CountOf(id) > 1)
            {
                // RFC 4475 §3.3.8 multi01: a single-valued header given twice.
                return SipValidationResult.Reject(400, "Multiple " + name + " Headers");
            }
        }

        return null;
    }

    private SipValidationResult? CheckVias(SipRequest request)
    {
        List<string> values = request.Headers.GetValues(HeaderId.Via);
        List<ViaHeader> vias = request.GetVias();
        if (values.Count == 0 || vias.Count != values.Count)
        {
            // RFC 4475 §3.1.2.1 badinv01: empty Via parameters and list elements.
            return SipValidationResult.Reject(400, "Malformed Via");
        }

        ViaHeader top = vias[0];
        if (!string.Equals(top.Protocol, "SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            return SipValidationResult.Reject(400, "Unsupported Via Protocol");
        }

        // RFC 4475 §3.2.1 badbranch: the magic cookie alone identifies no transaction. The
        // transport answers such a request statelessly before any transaction is made
        // (SipTransportLayer); this check covers requests handed to the validator directly.
        if (top.HasUnusableBranch)
        {
            return SipValidationResult.Reject(400, MalformedViaBranch);
        }

        if (_options.RequireRfc3261Branch && !top.HasRfc3261Branch)
        {
            return SipValidationResult.Reject(400, "Missing RFC 3261 Branch");
        }

        return null;
    }

    private static SipValidationResult? CheckAddresses(SipRequest request)
    {
        // RFC 4475 §3.1.2.5 quotbal, §3.1.2.14 badaspec, §3.1.2.15 baddn.
        if (request.From is null)
        {
            return SipValidationResult.Reject(400, "Malformed From");
        }

        if (request.To is null)
        {
            return SipValidationResult.Reject(400, "Malformed To");
        }

        if (!IsCallId(request.CallId))
        {
            return SipValidationResult.Reject(400, "Malformed Call-ID");
        }

        return null;
    }

    private SipValidationResult? CheckMethod(string method)
    {
        if (_options.AllowedMethods.Contains(method))
        {
            return null;
        }

        if (!SipMethods.IsKnown(method))
        {
            // RFC 3261 §21.5.2; RFC 4475 §3.1.2.18 mismatch02 (checked before the CSeq method).
            return SipValidationResult.Reject(501, "Not Implemented");
        }

        // RFC 3261 §8.2.1: a known method the switch does not serve gets 405 and Allow.
        var allowed = SipMethods.All.Where(_options.AllowedMethods.Contains);
        return SipValidationResult.Reject(405, "Method Not Allowed", new SipHeader(HeaderId.Allow, "Allow", string.Join(", ", allowed)));
    }

    private static SipValidationResult? CheckRequestUri(AddressUri uri)
    {
        if (uri is OtherUri)
        {
            // RFC 3261 §8.2.2.1; RFC 4475 §3.3.2 unkscm and §3.3.3 novelsc.
            return SipValidationResult.Reject(416, "Unsupported URI Scheme");
        }

        if (uri is SipUri { UriHeaders: not null })
        {
            // RFC 3261 §19.1.1 table 1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11 escruri).
            return SipValidationResult.Reject(400, "Headers In Request-URI");
        }

        return null;
    }

    private static SipValidationResult? CheckRegister(SipRequest request)
    {
        if (request.Method != SipMethods.Register)
        {
            return null;
        }

        // RFC 3261 §10.3 step 1 and 3: the Request-URI names the domain, To is a SIP address of record.
        if (request.Uri is not SipUri)
        {
            return SipValidationResult.Reject(416, "Unsupported URI Scheme");
        }

        if (request.To?.Uri is not SipUri)
        {
            // RFC 4475 §3.3.4 unksm2.
            return SipValidationResult.Reject(400, "Address Of Record Must Be A SIP URI");
        }

        return null;
    }

    private static SipValidationResult? CheckContacts(SipRequest request)
    {
        List<string> values = request.Headers.GetValues(HeaderId.Contact);
        if (values.Count == 0)
        {
            return null;
        }

        List<ContactHeader> contacts = request.GetContacts();
        if (contacts.Count != values.Count)
        {
            // RFC 4475 §3.1.2.13 regbadct: a URI with headers must be in angle brackets.
            return SipValidationResult.Reject(400, "Malformed Contact");
        }

        bool star = contacts.Any(c => c.IsStar);
        if (star && (request.Method != SipMethods.Register || contacts.Count != 1 || request.Expires != 0))
        {
            // RFC 3261 §10.3 step 6: "*" only alone, in a REGISTER, with Expires: 0.
            return SipValidationResult.Reject(400, "Invalid Wildcard Contact");
        }

        return null;
    }

    private SipValidationResult? CheckRequire(SipHeaderCollection headers)
    {
        var unsupported = new List<string>();
        CollectUnsupported(headers, HeaderId.Require, unsupported);
        if (_options.CheckProxyRequire)
        {
            CollectUnsupported(headers, HeaderId.ProxyRequire, unsupported);
        }

        if (unsupported.Count == 0)
        {
            return null;
        }

        // RFC 3261 §8.2.2.3, §20.40; RFC 4475 §3.3.5 bext01.
        return SipValidationResult.Reject(420, "Bad Extension", new SipHeader(HeaderId.Unsupported, "Unsupported", string.Join(", ", unsupported)));
    }

    private void CollectUnsupported(SipHeaderCollection headers, HeaderId id, List<string> into)
    {
        foreach (string tag in headers.GetValues(id))
        {
            if (!_options.SupportedOptionTags.Contains(tag) && !into.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                into.Add(tag);
            }
        }
    }

    private SipValidationResult? CheckBody(SipRequest request)
    {
        SipHeaderCollection headers = request.Headers;
        if (headers.Contains(HeaderId.ContentLength))
        {
            if (!SipMessageParser.TryGetContentLength(headers, out int length, out _))
            {
                return SipValidationResult.Reject(400, "Malformed Content-Length");
            }

            if (length != request.Body.Length)
            {
                return SipValidationResult.Reject(400, "Content-Length Mismatch");
            }
        }

        if (request.Body.IsEmpty)
        {
            return null;
        }

        string? type = request.ContentType;
        if (string.IsNullOrEmpty(type))
        {
            // RFC 3261 §20.15: a non-empty body must have a Content-Type.
            return SipValidationResult.Reject(400, "Missing Content-Type");
        }

        if (!_options.AcceptedContentTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            // RFC 3261 §8.2.3; RFC 4475 §3.3.6 invut.
            return SipValidationResult.Reject(415, "Unsupported Media Type", new SipHeader(HeaderId.Accept, "Accept", string.Join(", ", _options.AcceptedContentTypes)));
        }

        foreach (string encoding in headers.GetValues(HeaderId.ContentEncoding))
        {
            if (!string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
            {
                return SipValidationResult.Reject(415, "Unsupported Content-Encoding", new SipHeader(HeaderId.AcceptEncoding, "Accept-Encoding", "identity"));
            }
        }

        return null;
    }

    private SipValidationResult? CheckAccept(SipRequest request)
    {
        // Only INVITE: its answer must carry a session description in SDP (RFC 3261 §13.2.1).
        if (request.Method != SipMethods.Invite || !request.Headers.Contains(HeaderId.Accept))
        {
            return null;
        }

        // RFC 3261 §20.1: an empty Accept means no body type is acceptable.
        foreach (string range in request.Headers.GetValues(HeaderId.Accept))
        {
            int semi = range.IndexOf(';');
            string type = (semi < 0 ? range : range[..semi]).Trim();
            if (type.Equals("application/sdp", StringComparison.OrdinalIgnoreCase) ||
                type.Equals("application/*", StringComparison.OrdinalIgnoreCase) ||
                type.Equals("*/*", StringComparison.Ordinal))
            {
                return null;
            }
        }

        // RFC 3261 §21.4.7 and §20.43 warn-code 304; RFC 4475 §3.3.15 sdp01.
        string warning = "304 " + _options.WarningAgent + " \"Media type not available\"";
        return SipValidationResult.Reject(406, "Not Acceptable", new SipHeader(HeaderId.Warning, "Warning", warning));
    }

    private SipValidationResult? CheckDate(SipHeaderCollection headers)
    {
        string? date = headers[HeaderId.Date];
        if (!_options.RejectMalformedDate || date is null)
        {
            return null;
        }

        // RFC 3261 §20.17: rfc1123-date, always in GMT (RFC 4475 §3.1.2.12 baddate).
        bool ok = DateTime.TryParseExact(date, "ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);
        return ok ? null : SipValidationResult.Reject(400, "Malformed Date");
    }

    /// <summary>
    /// A Call-ID is checked liberally: present, without white space or control characters.
    /// RFC 3261 §25.1 word is stricter, but peers put '=' or ',' in Call-IDs and they are only compared.
    /// </summary>
    internal static bool IsCallId(string? callId)
    {
        if (string.IsNullOrEmpty(callId))
        {
            return false;
        }

        foreach (char c in callId)
        {
            if (c <= ' ' || c == (char)127)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a CSeq value is well formed except that its number is 2**31 or more.</summary>
    internal static bool IsOverlargeCSeq(string? value)
    {
        if (value is null)
        {
            return false;
        }

        ReadOnlySpan<char> s = value.AsSpan().Trim(" \t");
        int space = s.IndexOfAny(' ', '\t');
        ReadOnlySpan<char> number = space < 0 ? s : s[..space];
        if (number.IsEmpty)
        {
            return false;
        }

        foreach (char c in number)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return number.TrimStart('0').Length > 10 ||
            (ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) && n > CSeqHeader.MaxNumber);
    }
}
