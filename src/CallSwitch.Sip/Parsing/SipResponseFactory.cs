using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>
/// Builds responses to requests (RFC 3261 §8.2.6): Via (all, in order), From, To (with a tag
/// added for codes above 100 when missing), Call-ID and CSeq are copied from the request, and
/// Timestamp for a 100 (§8.2.6.1). Works on any request that reached the stack, parsed or built,
/// well formed or not: header values are copied as they are, never re-parsed into errors.
/// </summary>
public static class SipResponseFactory
{
    /// <summary>Creates a response with an empty body (Content-Length: 0).</summary>
    /// <param name="request">The request answered.</param>
    /// <param name="statusCode">100 to 699.</param>
    /// <param name="reason">The reason phrase; null for the usual one of the code.</param>
    /// <param name="toTag">The To tag to add when the request's To has none; null for a new random tag.</param>
    public static SipResponse CreateResponse(SipRequest request, int statusCode, string? reason = null, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new SipResponse(statusCode, CleanReason(reason) ?? SipStatus.DefaultReason(statusCode));
        SipHeaderCollection source = request.Headers;
        SipHeaderCollection target = response.Headers;
        bool from = false, to = false, callId = false, cseq = false, timestamp = false;
        for (int i = 0; i < source.Count; i++)
        {
            HeaderId id = source.IdAt(i);
            switch (id)
            {
                case HeaderId.Via:
                    target.Add(HeaderId.Via, source.ValueAt(i));
                    break;
                case HeaderId.From when !from:
                    target.Add(HeaderId.From, source.ValueAt(i));
                    from = true;
                    break;
                case HeaderId.To when !to:
                    target.Add(HeaderId.To, WithTag(source.ValueAt(i), statusCode, toTag));
                    to = true;
                    break;
                case HeaderId.CallId when !callId:
                    target.Add(HeaderId.CallId, source.ValueAt(i));
                    callId = true;
                    break;
                case HeaderId.CSeq when !cseq:
                    target.Add(HeaderId.CSeq, source.ValueAt(i));
                    cseq = true;
                    break;
                case HeaderId.Timestamp when statusCode == 100 && !timestamp:
                    target.Add(HeaderId.Timestamp, source.ValueAt(i));
                    timestamp = true;
                    break;
            }
        }

        target.Add(HeaderId.ContentLength, "0");
        return response;
    }

    /// <summary>Creates the error response of a failed validation, with its extra headers (Unsupported, Accept, Allow, Warning…).</summary>
    public static SipResponse CreateResponse(SipRequest request, SipValidationResult result, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsValid)
        {
            throw new ArgumentException("A valid request has no error response.", nameof(result));
        }

        SipResponse response = CreateResponse(request, result.StatusCode, result.Reason, toTag);
        foreach (SipHeader header in result.ExtraHeaders)
        {
            if (header.Id == HeaderId.Unknown)
            {
                response.Headers.Add(header.Name, CleanValue(header.Value));
            }
            else
            {
                response.Headers.Add(header.Id, CleanValue(header.Value));
            }
        }

        return response;
    }

    /// <summary>
    /// Creates the error response for a message the parser refused, when it kept a partial
    /// request with a Via to send it back along; false for responses, ACKs (never answered)
    /// and messages too broken to route an answer.
    /// </summary>
    public static bool TryCreateResponse(SipParseError error, [NotNullWhen(true)] out SipResponse? response, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        response = null;
        if (error.Partial is not SipRequest request || request.Method == SipMethods.Ack ||
            !request.Headers.Contains(HeaderId.Via) || error.StatusCode is < 300 or > 699)
        {
            return false;
        }

        response = CreateResponse(request, error.StatusCode, error.Reason, toTag);
        return true;
    }

    /// <summary>
    /// RFC 3261 §8.2.6.2: the UAS adds a tag to To unless the request had one. An unparseable
    /// To is copied unchanged: appending to it could not make it a valid one.
    /// </summary>
    private static string WithTag(string to, int statusCode, string? toTag)
    {
        if (statusCode <= 100 || !NameAddress.TryParse(to, out NameAddress? address) || address.Tag is not null)
        {
            return to;
        }

        string tag = toTag is not null && SipGrammar.IsToken(toTag) ? toTag : SipIdentifiers.NewTag();
        return to + ";tag=" + tag;
    }

    private static string? CleanReason(string? reason) => reason is null ? null : CleanValue(reason);

    /// <summary>A value must not hold CR or LF: they would start a new header on the wire.</summary>
    private static string CleanValue(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 ? value : value.Replace('\r', ' ').Replace('\n', ' ');
}
