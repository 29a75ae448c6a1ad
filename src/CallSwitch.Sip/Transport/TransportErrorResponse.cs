using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

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
        if (request.TopVia is null || string.IsNullOrWhiteSpace(request.CallId) ||
            request.CSeq is null || !headers.Contains(HeaderId.From) || !headers.Contains(HeaderId.To))
        {
            return null;
        }

        if (statusCode is < 300 or > 699)
        {
            statusCode = 400;
        }

        return SipResponseFactory.CreateResponse(request, statusCode, ReasonPhrase(statusCode, reason));
    }

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
