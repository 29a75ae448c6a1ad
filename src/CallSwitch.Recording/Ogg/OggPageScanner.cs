using System.Buffers.Binary;

namespace CallSwitch.Recording.Ogg;

/// <summary>
/// Finds the whole, intact pages at the start of an Ogg stream (RFC 3533 §6): each page must
/// start with the capture pattern, be version 0, fit entirely in the data and carry a correct
/// CRC. Scanning stops at the first page that does not: what follows a torn page is not trusted.
/// </summary>
/// <remarks>Stateless and thread-safe; reads the caller's span, keeps nothing.</remarks>
public static class OggPageScanner
{
    /// <summary>Where one page lies in the scanned data, and what its header says.</summary>
    /// <param name="Offset">Index of the page's first byte ("OggS").</param>
    /// <param name="Length">Header, segment table and body.</param>
    /// <param name="Flags">The header_type_flag byte.</param>
    /// <param name="GranulePosition">The page's granule position (-1 when no packet ends on it).</param>
    /// <param name="EndsWithContinuedPacket">Whether its last packet goes on in the next page (last lacing value 255).</param>
    public readonly record struct Page(int Offset, int Length, OggPageFlags Flags, long GranulePosition, bool EndsWithContinuedPacket)
    {
        /// <summary>Index just past the page.</summary>
        public int End => Offset + Length;
    }

    /// <summary>The intact pages at the start of <paramref name="data"/>, in order.</summary>
    public static List<Page> Scan(ReadOnlySpan<byte> data)
    {
        var pages = new List<Page>();
        int offset = 0;
        while (TryReadPage(data[offset..], out int length, out OggPageFlags flags, out long granule, out bool continued))
        {
            pages.Add(new Page(offset, length, flags, granule, continued));
            offset += length;
        }

        return pages;
    }

    /// <summary>
    /// Sets the end-of-stream flag on the page at the start of <paramref name="page"/> (exactly
    /// one page) and recomputes its CRC.
    /// </summary>
    public static void MarkEndOfStream(Span<byte> page)
    {
        if (page.Length < OggPageWriter.HeaderLength || !page.StartsWith("OggS"u8))
        {
            throw new ArgumentException("Not an Ogg page.", nameof(page));
        }

        page[5] |= (byte)OggPageFlags.EndOfStream;
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], OggCrc.Compute(page));
    }

    private static bool TryReadPage(ReadOnlySpan<byte> data, out int length, out OggPageFlags flags, out long granule, out bool continued)
    {
        length = 0;
        flags = OggPageFlags.None;
        granule = 0;
        continued = false;
        if (data.Length < OggPageWriter.HeaderLength || !data.StartsWith("OggS"u8) || data[4] != 0)
        {
            return false;
        }

        int segments = data[26];
        if (data.Length < OggPageWriter.HeaderLength + segments)
        {
            return false;
        }

        ReadOnlySpan<byte> lacing = data.Slice(OggPageWriter.HeaderLength, segments);
        int body = 0;
        foreach (byte lace in lacing)
        {
            body += lace;
        }

        int total = OggPageWriter.HeaderLength + segments + body;
        if (data.Length < total)
        {
            return false;
        }

        // The CRC covers the whole page with its own field taken as zero.
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[22..]);
        uint crc = OggCrc.Update(0, data[..22]);
        crc = OggCrc.Update(crc, [0, 0, 0, 0]);
        crc = OggCrc.Update(crc, data[26..total]);
        if (crc != stored)
        {
            return false;
        }

        length = total;
        flags = (OggPageFlags)data[5];
        granule = BinaryPrimitives.ReadInt64LittleEndian(data[6..]);
        continued = segments > 0 && lacing[^1] == 255;
        return true;
    }
}
