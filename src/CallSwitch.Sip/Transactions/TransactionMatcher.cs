using System.Globalization;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transactions;

/// <summary>Computes transaction keys from messages (RFC 3261 §17.1.3, §17.2.3). Stateless.</summary>
internal static class TransactionMatcher
{
    /// <summary>RFC 3261 §17.1.3: a response matches by the top Via branch and the CSeq method.</summary>
    public static bool TryGetClientKey(SipResponse response, out TransactionKey key)
    {
        key = default;
        string? branch = response.TopVia?.Branch;
        var cseq = response.CSeq;
        if (branch is null || cseq is null)
        {
            return false;
        }

        key = ClientKey(branch, cseq.Value.Method);
        return true;
    }

    /// <summary>The key a client transaction registers under.</summary>
    public static TransactionKey ClientKey(string branch, string method) => new(TransactionKeyKind.Client, branch, string.Empty, method);

    /// <summary>
    /// RFC 3261 §17.2.3: the key of the server transaction a request belongs to. An ACK maps to
    /// its INVITE; <paramref name="methodOverride"/> lets the CANCEL handler look up the INVITE.
    /// Without the magic cookie the RFC 2543 rule is used: Request-URI, Call-ID, From tag, CSeq
    /// number and the whole top Via (the To tag is checked by the transaction).
    /// </summary>
    public static bool TryGetServerKey(SipRequest request, out TransactionKey key, string? methodOverride = null)
    {
        key = default;
        var via = request.TopVia;
        var cseq = request.CSeq;
        if (via is null || cseq is null)
        {
            return false;
        }

        string method = methodOverride ?? (request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method);
        if (via.HasRfc3261Branch)
        {
            string sentBy = via.Host.ToLowerInvariant() + ":" + (via.Port?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            key = new TransactionKey(TransactionKeyKind.Server, via.Branch!, sentBy, method);
            return true;
        }

        string composite = string.Join(
            '\n',
            request.RequestUri.Trim(),
            request.CallId ?? string.Empty,
            request.From?.Tag ?? string.Empty,
            cseq.Value.Number.ToString(CultureInfo.InvariantCulture),
            via.ToString());
        key = new TransactionKey(TransactionKeyKind.ServerRfc2543, composite, string.Empty, method);
        return true;
    }
}
