using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Picks, from a raw datagram, the stripe of its Call-ID: datagrams of one call fall in one
/// stripe, so a channel read by several threads handles them one after the other, in the order
/// they were read (see <see cref="UdpChannel"/>), while other calls go on in parallel.
/// </summary>
/// <remarks>
/// A scan of the head only, before any parsing: the first header line whose name the parser's
/// table (<see cref="HeaderNames.Lookup(ReadOnlySpan{byte})"/>) knows as Call-ID, compact
/// <c>i</c> included (spaces before the colon allowed), its value trimmed of spaces and tabs. A datagram without one (a keep-alive, a
/// malformed message) falls in stripe 0; the parser judges it afterwards.
/// </remarks>
internal static class CallIdStripe
{
    /// <summary>The stripe of <paramref name="datagram"/> among <paramref name="stripes"/>.</summary>
    public static int Of(ReadOnlySpan<byte> datagram, int stripes)
    {
        ReadOnlySpan<byte> callId = Find(datagram);
        if (callId.IsEmpty)
        {
            return 0;
        }

        // FNV-1a: cheap, and the Call-IDs of different calls are random enough to spread.
        uint hash = 2166136261;
        foreach (byte b in callId)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash % (uint)stripes);
    }

    /// <summary>The Call-ID value of the head, or empty.</summary>
    internal static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> datagram)
    {
        // Skip the start line; then each header line until the empty line ending the head.
        int lineEnd = datagram.IndexOf((byte)'\n');
        while (lineEnd >= 0)
        {
            ReadOnlySpan<byte> rest = datagram[(lineEnd + 1)..];
            int next = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = next >= 0 ? rest[..next] : rest;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                return default;
            }

            int colon = line.IndexOf((byte)':');
            if (colon > 0 && HeaderNames.Lookup(line[..colon].TrimEnd(" \t"u8)) == HeaderId.CallId)
            {
                return line[(colon + 1)..].Trim(" \t"u8);
            }

            datagram = rest;
            lineEnd = next;
        }

        return default;
    }
}
