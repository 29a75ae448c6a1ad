using System.Buffers.Binary;

namespace CallSwitch.Recording.Tests.Support;

/// <summary>A minimal, independent Ogg page parser for assertions (RFC 3533 §6).</summary>
internal static class OggPageReader
{
    public sealed record Page(byte Flags, long Granule, uint Serial, uint Sequence, uint Crc, byte[] Lacing, byte[] Body, byte[] Raw);

    public static List<Page> Read(byte[] file)
    {
        var pages = new List<Page>();
        int offset = 0;
        while (offset < file.Length)
        {
            Assert.Equal("OggS", System.Text.Encoding.ASCII.GetString(file, offset, 4));
            int segments = file[offset + 26];
            byte[] lacing = file.AsSpan(offset + 27, segments).ToArray();
            int bodyLength = lacing.Sum(b => b);
            int total = 27 + segments + bodyLength;
            pages.Add(new Page(
                file[offset + 5],
                BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(offset + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 14)),
                BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 18)),
                BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 22)),
                lacing,
                file.AsSpan(offset + 27 + segments, bodyLength).ToArray(),
                file.AsSpan(offset, total).ToArray()));
            offset += total;
        }

        return pages;
    }

    /// <summary>Splits a page body into packets using its lacing values.</summary>
    public static List<byte[]> Packets(Page page)
    {
        var packets = new List<byte[]>();
        int offset = 0, length = 0;
        foreach (byte lace in page.Lacing)
        {
            length += lace;
            if (lace < 255)
            {
                packets.Add(page.Body.AsSpan(offset, length).ToArray());
                offset += length;
                length = 0;
            }
        }

        return packets;
    }
}
