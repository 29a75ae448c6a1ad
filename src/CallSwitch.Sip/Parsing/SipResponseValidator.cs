using System.Net;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>
/// Checks applied to a parsed response before it is matched to a client transaction. A response
/// is never answered: a refused one is discarded (<see cref="SipValidationResult.CanRespond"/> is false).
/// </summary>
public static class SipResponseValidator
{
    private static readonly HeaderId[] Mandatory = [HeaderId.Via, HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.CSeq];

    /// <summary>
    /// Validates a response. <paramref name="atUac"/>: the switch is the UAC the response is
    /// for, so a response with more than one Via is dropped (RFC 3261 §8.1.3.3).
    /// </summary>
    public static SipValidationResult Validate(SipResponse response, bool atUac = true)
    {
        ArgumentNullException.ThrowIfNull(response);
        SipHeaderCollection headers = response.Headers;
        foreach (HeaderId id in Mandatory)
        {
            if (!headers.Contains(id))
            {
                return SipValidationResult.Discard(400, "Missing " + HeaderNames.GetName(id));
            }

            if (id != HeaderId.Via && headers.CountOf(id) > 1)
            {
                return SipValidationResult.Discard(400, "Multiple " + HeaderNames.GetName(id) + " Headers");
            }
        }

        if (response.CSeq is null)
        {
            // RFC 4475 §3.1.2.5 scalarlg: an overlarge CSeq; the response is simply discarded.
            return SipValidationResult.Discard(400, SipRequestValidator.IsOverlargeCSeq(headers[HeaderId.CSeq]) ? "CSeq Number Out Of Range" : "Malformed CSeq");
        }

        if (response.From is null || response.To is null || !SipRequestValidator.IsCallId(response.CallId))
        {
            return SipValidationResult.Discard(400, "Malformed From, To or Call-ID");
        }

        List<string> values = headers.GetValues(HeaderId.Via);
        List<ViaHeader> vias = response.GetVias();
        if (vias.Count == 0 || vias.Count != values.Count)
        {
            return SipValidationResult.Discard(400, "Malformed Via");
        }

        if (atUac && vias.Count > 1)
        {
            // RFC 3261 §8.1.3.3; RFC 4475 §3.3.10 bcast.
            return SipValidationResult.Discard(400, "More Than One Via At The UAC");
        }

        foreach (ViaHeader via in vias)
        {
            // RFC 4475 §3.3.10: a proxy must not forward a response towards a broadcast address.
            if (IPAddress.TryParse(via.Host, out IPAddress? address) && address.Equals(IPAddress.Broadcast))
            {
                return SipValidationResult.Discard(400, "Broadcast Via");
            }
        }

        if (response.ContentLength is int length && length != response.Body.Length)
        {
            return SipValidationResult.Discard(400, "Content-Length Mismatch");
        }

        return SipValidationResult.Valid;
    }
}
