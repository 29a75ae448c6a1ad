using System.Globalization;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transactions;

/// <summary>Builds responses to requests (RFC 3261 §8.2.6). Stateless and thread-safe.</summary>
public static class SipResponseBuilder
{
    /// <summary>
    /// A response to <paramref name="request"/>: RFC 3261 §8.2.6.2 copies every Via in order,
    /// From, To, Call-ID and CSeq. When the request's To has no tag and <paramref name="toTag"/>
    /// is given, the tag is added (never to a 100, §8.2.6.2). A 100 copies Timestamp (§8.2.6.1).
    /// </summary>
    public static SipResponse Create(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new SipResponse(statusCode, reasonPhrase);
        var headers = response.Headers;
        foreach (string via in request.Headers.GetValues(HeaderId.Via))
        {
            headers.Add(HeaderId.Via, via);
        }

        CopyFirst(request, headers, HeaderId.From);
        string? to = request.Headers[HeaderId.To];
        if (to is not null)
        {
            var parsed = request.To;
            if (statusCode > 100 && toTag is not null && parsed is not null && parsed.Tag is null)
            {
                var tagged = parsed.Clone();
                tagged.Tag = toTag;
                to = tagged.ToString();
            }

            headers.Add(HeaderId.To, to);
        }

        CopyFirst(request, headers, HeaderId.CallId);
        CopyFirst(request, headers, HeaderId.CSeq);
        if (statusCode == 100)
        {
            CopyFirst(request, headers, HeaderId.Timestamp);
        }

        headers.Add(HeaderId.ContentLength, 0.ToString(CultureInfo.InvariantCulture));
        return response;
    }

    private static void CopyFirst(SipRequest request, SipHeaderCollection target, HeaderId id)
    {
        string? value = request.Headers[id];
        if (value is not null)
        {
            target.Add(id, value);
        }
    }
}
