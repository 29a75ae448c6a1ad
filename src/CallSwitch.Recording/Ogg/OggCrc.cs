namespace CallSwitch.Recording.Ogg;

/// <summary>
/// The CRC-32 of an Ogg page (RFC 3533 §6, "CRC_checksum"): generator polynomial 0x04C11DB7,
/// processed most significant bit first (no reflection), initial value 0, no final XOR.
/// This is not the zlib/Ethernet CRC, which reflects and inverts.
/// </summary>
/// <remarks>Stateless and thread-safe; the table is built once.</remarks>
public static class OggCrc
{
    private const uint Polynomial = 0x04C11DB7;
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the CRC of <paramref name="data"/> starting from <paramref name="crc"/> (0 for a new page).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
        {
            crc = (crc << 8) ^ table[(crc >> 24) ^ b];
        }

        return crc;
    }

    /// <summary>Computes the CRC of a whole page whose checksum field (bytes 22–25) is zero.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0, data);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000u) != 0 ? (r << 1) ^ Polynomial : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
