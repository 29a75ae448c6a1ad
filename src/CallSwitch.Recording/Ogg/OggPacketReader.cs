using System.Buffers.Binary;

namespace CallSwitch.Recording.Ogg;

/// <summary>
/// Reads the packets of a single-stream Ogg file (RFC 3533): pages checked (capture pattern,
/// version, CRC), packets reassembled from their lacing, in order. For whole recordings held in
/// memory (an extract, an export check), not for streaming.
/// </summary>
public static class OggPacketReader
{
    private const int HeaderLength = 27;

    /// <summary>The packets of <paramref name="ogg"/>, with the granule position of the page each one ends on.</summary>
    /// <exception cref="InvalidDataException">A page is damaged (pattern, version, CRC) or cut, or a packet is left unfinished.</exception>
    public static List<(byte[] Packet, long Granule)> Read(ReadOnlySpan<byte> ogg)
    {
        var packets = new List<(byte[], long)>();
        var pending = new List<byte>();
        int offset = 0;
        while (offset < ogg.Length)
        {
            ReadOnlySpan<byte> rest = ogg[offset..];
            if (rest.Length < HeaderLength || !rest[..4].SequenceEqual("OggS"u8) || rest[4] != 0)
            {
                throw new InvalidDataException($"no Ogg page at byte {offset}");
            }

            int segments = rest[26];
            if (rest.Length < HeaderLength + segments)
            {
                throw new InvalidDataException($"the Ogg page at byte {offset} is cut");
            }

            ReadOnlySpan<byte> lacing = rest.Slice(HeaderLength, segments);
            int bodyLength = 0;
            foreach (byte lace in lacing)
            {
                bodyLength += lace;
            }

            int pageLength = HeaderLength + segments + bodyLength;
            if (rest.Length < pageLength)
            {
                throw new InvalidDataException($"the Ogg page at byte {offset} is cut");
            }

            CheckCrc(rest[..pageLength], offset);
            long granule = BinaryPrimitives.ReadInt64LittleEndian(rest[6..]);
            ReadOnlySpan<byte> body = rest.Slice(HeaderLength + segments, bodyLength);
            int at = 0;
            foreach (byte lace in lacing)
            {
                pending.AddRange(body.Slice(at, lace));
                at += lace;

                // RFC 3533 §6: a lacing value below 255 ends a packet; 255 continues it.
                if (lace < 255)
                {
                    packets.Add((pending.ToArray(), granule));
                    pending.Clear();
                }
            }

            offset += pageLength;
        }

        if (pending.Count > 0)
        {
            throw new InvalidDataException("the last Ogg packet is unfinished");
        }

        return packets;
    }

    private static void CheckCrc(ReadOnlySpan<byte> page, int offset)
    {
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(page[22..]);
        Span<byte> zeroed = page.Length <= 65_536 ? stackalloc byte[page.Length] : new byte[page.Length];
        page.CopyTo(zeroed);
        zeroed.Slice(22, 4).Clear();
        if (OggCrc.Compute(zeroed) != stored)
        {
            throw new InvalidDataException($"the Ogg page at byte {offset} fails its CRC");
        }
    }
}
