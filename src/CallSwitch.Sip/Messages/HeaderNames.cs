using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// Canonical and compact header names, and an allocation-free lookup from the bytes of a
/// header name (case-insensitive, RFC 3261 §7.3.1) to its <see cref="HeaderId"/>.
/// </summary>
public static class HeaderNames
{
    private static readonly string[] Canonical = BuildCanonical();
    private static readonly Entry[] Table = BuildTable(out TableMask);
    private static readonly int TableMask;

    private readonly record struct Entry(byte[]? LowerName, HeaderId Id);

    /// <summary>The canonical (long) name of a known header, as the stack writes it.</summary>
    public static string GetName(HeaderId id) => Canonical[(int)id];

    /// <summary>Looks a header name up without allocating; compact forms (RFC 3261 §7.3.3) map to their header.</summary>
    public static HeaderId Lookup(ReadOnlySpan<byte> name)
    {
        return Lookup(name, Hash(name));
    }

    /// <summary>
    /// Looks up a name whose hash the caller computed while reading it (<see cref="HashSeed"/>,
    /// then <see cref="HashStep"/> per byte): the parser reads each name once.
    /// </summary>
    internal static HeaderId Lookup(ReadOnlySpan<byte> name, uint hash)
    {
        if (name.IsEmpty || name.Length > 24)
        {
            return HeaderId.Unknown;
        }

        int slot = (int)(hash & (uint)TableMask);
        while (true)
        {
            ref readonly Entry entry = ref Table[slot];
            if (entry.LowerName is null)
            {
                return HeaderId.Unknown;
            }

            if (EqualsLower(name, entry.LowerName))
            {
                return entry.Id;
            }

            slot = (slot + 1) & TableMask;
        }
    }

    /// <summary>Looks a header name up from text.</summary>
    public static HeaderId Lookup(ReadOnlySpan<char> name)
    {
        Span<byte> bytes = stackalloc byte[24];
        if (name.IsEmpty || name.Length > bytes.Length)
        {
            return HeaderId.Unknown;
        }

        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] > 127)
            {
                return HeaderId.Unknown;
            }

            bytes[i] = (byte)name[i];
        }

        return Lookup(bytes[..name.Length]);
    }

    /// <summary>
    /// Headers whose value is a comma-separated list that may also be split over several
    /// header lines (RFC 3261 §7.3.1). Authentication headers are not: their commas separate parameters.
    /// </summary>
    public static bool IsList(HeaderId id) => id switch
    {
        HeaderId.Via or HeaderId.Contact or HeaderId.Route or HeaderId.RecordRoute or
        HeaderId.Allow or HeaderId.Supported or HeaderId.Require or HeaderId.ProxyRequire or
        HeaderId.Unsupported or HeaderId.Accept or HeaderId.AcceptEncoding or
        HeaderId.AcceptLanguage or HeaderId.ContentEncoding or HeaderId.ContentLanguage or
        HeaderId.AllowEvents or HeaderId.Path or HeaderId.ServiceRoute or
        HeaderId.PAssertedIdentity or HeaderId.PPreferredIdentity or HeaderId.AlertInfo or
        HeaderId.CallInfo or HeaderId.ErrorInfo or HeaderId.InReplyTo or HeaderId.Warning or
        HeaderId.Reason or HeaderId.HistoryInfo or HeaderId.Diversion or HeaderId.Privacy => true,
        _ => false,
    };

    private static string[] BuildCanonical()
    {
        var names = new string[(int)HeaderId.WwwAuthenticate + 1];
        foreach (var (name, _, id) in Known())
        {
            names[(int)id] = name;
        }

        names[0] = string.Empty;
        return names;
    }

    private static Entry[] BuildTable(out int mask)
    {
        var all = new List<(string, HeaderId)>();
        foreach (var (name, compact, id) in Known())
        {
            all.Add((name, id));
            if (compact is not null)
            {
                all.Add((compact, id));
            }
        }

        int size = 256;
        while (size < all.Count * 4)
        {
            size *= 2;
        }

        mask = size - 1;
        var table = new Entry[size];
        foreach (var (name, id) in all)
        {
            byte[] lower = Encoding.ASCII.GetBytes(name.ToLowerInvariant());
            int slot = (int)(Hash(lower) & (uint)mask);
            while (table[slot].LowerName is not null)
            {
                slot = (slot + 1) & mask;
            }

            table[slot] = new Entry(lower, id);
        }

        return table;
    }

    /// <summary>The start value of a name's hash (FNV-1a over the lower-cased bytes: header names are ASCII tokens).</summary>
    internal const uint HashSeed = 2166136261;

    /// <summary>The hash after one more byte of a name.</summary>
    internal static uint HashStep(uint hash, byte b) => (hash ^ (uint)(b | 0x20)) * 16777619;

    private static uint Hash(ReadOnlySpan<byte> name)
    {
        uint hash = HashSeed;
        foreach (byte b in name)
        {
            hash = HashStep(hash, b);
        }

        return hash;
    }

    private static bool EqualsLower(ReadOnlySpan<byte> name, byte[] lower)
    {
        if (name.Length != lower.Length)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            byte b = name[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b |= 0x20;
            }

            if (b != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<(string Name, string? Compact, HeaderId Id)> Known()
    {
        yield return ("Accept", null, HeaderId.Accept);
        yield return ("Accept-Contact", "a", HeaderId.AcceptContact);
        yield return ("Accept-Encoding", null, HeaderId.AcceptEncoding);
        yield return ("Accept-Language", null, HeaderId.AcceptLanguage);
        yield return ("Alert-Info", null, HeaderId.AlertInfo);
        yield return ("Allow", null, HeaderId.Allow);
        yield return ("Allow-Events", "u", HeaderId.AllowEvents);
        yield return ("Authentication-Info", null, HeaderId.AuthenticationInfo);
        yield return ("Authorization", null, HeaderId.Authorization);
        yield return ("Call-ID", "i", HeaderId.CallId);
        yield return ("Call-Info", null, HeaderId.CallInfo);
        yield return ("Contact", "m", HeaderId.Contact);
        yield return ("Content-Disposition", null, HeaderId.ContentDisposition);
        yield return ("Content-Encoding", "e", HeaderId.ContentEncoding);
        yield return ("Content-Language", null, HeaderId.ContentLanguage);
        yield return ("Content-Length", "l", HeaderId.ContentLength);
        yield return ("Content-Type", "c", HeaderId.ContentType);
        yield return ("CSeq", null, HeaderId.CSeq);
        yield return ("Date", null, HeaderId.Date);
        yield return ("Diversion", null, HeaderId.Diversion);
        yield return ("Error-Info", null, HeaderId.ErrorInfo);
        yield return ("Event", "o", HeaderId.Event);
        yield return ("Expires", null, HeaderId.Expires);
        yield return ("From", "f", HeaderId.From);
        yield return ("History-Info", null, HeaderId.HistoryInfo);
        yield return ("Identity", "y", HeaderId.Identity);
        yield return ("In-Reply-To", null, HeaderId.InReplyTo);
        yield return ("Max-Forwards", null, HeaderId.MaxForwards);
        yield return ("MIME-Version", null, HeaderId.MimeVersion);
        yield return ("Min-Expires", null, HeaderId.MinExpires);
        yield return ("Min-SE", null, HeaderId.MinSE);
        yield return ("Organization", null, HeaderId.Organization);
        yield return ("P-Asserted-Identity", null, HeaderId.PAssertedIdentity);
        yield return ("Path", null, HeaderId.Path);
        yield return ("P-Preferred-Identity", null, HeaderId.PPreferredIdentity);
        yield return ("Priority", null, HeaderId.Priority);
        yield return ("Privacy", null, HeaderId.Privacy);
        yield return ("Proxy-Authenticate", null, HeaderId.ProxyAuthenticate);
        yield return ("Proxy-Authorization", null, HeaderId.ProxyAuthorization);
        yield return ("Proxy-Require", null, HeaderId.ProxyRequire);
        yield return ("RAck", null, HeaderId.RAck);
        yield return ("Reason", null, HeaderId.Reason);
        yield return ("Record-Route", null, HeaderId.RecordRoute);
        yield return ("Referred-By", "b", HeaderId.ReferredBy);
        yield return ("Refer-To", "r", HeaderId.ReferTo);
        yield return ("Reject-Contact", "j", HeaderId.RejectContact);
        yield return ("Reply-To", null, HeaderId.ReplyTo);
        yield return ("Request-Disposition", "d", HeaderId.RequestDisposition);
        yield return ("Require", null, HeaderId.Require);
        yield return ("Retry-After", null, HeaderId.RetryAfter);
        yield return ("Route", null, HeaderId.Route);
        yield return ("RSeq", null, HeaderId.RSeq);
        yield return ("Server", null, HeaderId.Server);
        yield return ("Service-Route", null, HeaderId.ServiceRoute);
        yield return ("Session-Expires", "x", HeaderId.SessionExpires);
        yield return ("Subject", "s", HeaderId.Subject);
        yield return ("Subscription-State", null, HeaderId.SubscriptionState);
        yield return ("Supported", "k", HeaderId.Supported);
        yield return ("Timestamp", null, HeaderId.Timestamp);
        yield return ("To", "t", HeaderId.To);
        yield return ("Unsupported", null, HeaderId.Unsupported);
        yield return ("User-Agent", null, HeaderId.UserAgent);
        yield return ("Via", "v", HeaderId.Via);
        yield return ("Warning", null, HeaderId.Warning);
        yield return ("WWW-Authenticate", null, HeaderId.WwwAuthenticate);
    }
}
