using System.Security.Cryptography;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// The minimal stateless error response the transport sends for a request it cannot accept
/// (RFC 3261 §8.2.6, §16.3 style): Via, From, To, Call-ID and CSeq copied, a To tag added.
/// Internal on purpose: the general response factory lives with the parser.
/// </summary>
internal static class TransportErrorResponse
{
    /// <summary>Builds the response, or null when the request lacks what a response must copy.</summary>
    public static SipResponse? TryBuild(SipRequest request, int statusCode, string reason)
    {
        // RFC 3261 §17.1.1.3: an ACK is never answered.
        if (request.Method == SipMethods.Ack)
        {
            return null;
        }

        SipHeaderCollection headers = request.Headers;
        if (request.TopVia is null || request.CallId is not string callId || string.IsNullOrWhiteSpace(callId) ||
            request.CSeq is null || headers[HeaderId.From] is not string from || headers[HeaderId.To] is not string to)
        {
            return null;
        }

        if (statusCode is < 300 or > 699)
        {
            statusCode = 400;
        }

        var response = new SipResponse(statusCode, ReasonPhrase(statusCode, reason));
        for (int i = 0; i < headers.Count; i++)
        {
            if (headers.IdAt(i) == HeaderId.Via)
            {
                response.Headers.Add(HeaderId.Via, headers.ValueAt(i));
            }
        }

        response.Headers.Add(HeaderId.From, from);

        // RFC 3261 §8.2.6.2: a response other than 100 carries a To tag; a stateless one picks a fresh tag.
        if (request.To is NameAddress toAddress && toAddress.Tag is null)
        {
            to += ";tag=" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        }

        response.Headers.Add(HeaderId.To, to);
        response.Headers.Add(HeaderId.CallId, callId);
        response.Headers.Add(HeaderId.CSeq, request.CSeq.Value.ToString());
        response.Headers.Add(HeaderId.ContentLength, "0");
        return response;
    }

    /// <summary>"Bad Request (why)", kept to one line of printable text.</summary>
    private static string ReasonPhrase(int statusCode, string reason)
    {
        string standard = SipStatus.DefaultReason(statusCode);
        if (string.IsNullOrWhiteSpace(reason) || reason.Equals(standard, StringComparison.OrdinalIgnoreCase))
        {
            return standard;
        }

        Span<char> clean = reason.Length <= 200 ? stackalloc char[reason.Length] : new char[reason.Length];
        for (int i = 0; i < reason.Length; i++)
        {
            clean[i] = char.IsControl(reason[i]) ? ' ' : reason[i];
        }

        return standard + " (" + clean.ToString() + ")";
    }
}
