using NAudio.Codecs;

namespace CallSwitch.Media.Codecs;

/// <summary>
/// Lookup tables for ITU-T G.711, built once per process from NAudio's per-sample reference
/// functions so results are identical to NAudio while costing one memory load per sample.
/// </summary>
/// <remarks>
/// The encode tables are indexed by the full 16-bit sample reinterpreted as unsigned (64 KiB
/// each): G.711 only looks at the top 14 (µ-law) or 13 (A-law) bits, but a direct index avoids
/// a shift and a sign fix-up in the hot loop. The cross tables implement µ-law↔A-law conversion
/// as decode-then-encode (G.711 §3 allows direct code conversion; decode-then-encode gives the
/// same bytes the general transcoding path would, so both paths agree).
/// </remarks>
internal static class G711Tables
{
    public static readonly short[] MuLawToLinear = BuildDecode(MuLawDecoder.MuLawToLinearSample);

    public static readonly short[] ALawToLinear = BuildDecode(ALawDecoder.ALawToLinearSample);

    public static readonly byte[] LinearToMuLaw = BuildEncode(MuLawEncoder.LinearToMuLawSample);

    public static readonly byte[] LinearToALaw = BuildEncode(ALawEncoder.LinearToALawSample);

    public static readonly byte[] MuLawToALaw = BuildCross(MuLawToLinear, LinearToALaw);

    public static readonly byte[] ALawToMuLaw = BuildCross(ALawToLinear, LinearToMuLaw);

    /// <summary>Decodes G.711 bytes through a 256-entry table.</summary>
    public static void Decode(short[] table, ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        pcm = pcm[..payload.Length];
        for (var i = 0; i < payload.Length; i++)
        {
            pcm[i] = table[payload[i]];
        }
    }

    /// <summary>Encodes PCM through a 65536-entry table.</summary>
    public static void Encode(byte[] table, ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        payload = payload[..pcm.Length];
        for (var i = 0; i < pcm.Length; i++)
        {
            payload[i] = table[(ushort)pcm[i]];
        }
    }

    /// <summary>Maps G.711 bytes of one law to the other through a 256-entry table.</summary>
    public static void Convert(byte[] table, ReadOnlySpan<byte> input, Span<byte> output)
    {
        output = output[..input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = table[input[i]];
        }
    }

    private static short[] BuildDecode(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }

    private static byte[] BuildEncode(Func<short, byte> encode)
    {
        var table = new byte[65536];
        for (var i = 0; i < table.Length; i++)
        {
            // NAudio negates negative samples to find the magnitude; −32768 has no positive
            // counterpart in a short, overflows, and would encode as (negative) zero: a click
            // on every full-scale negative peak. Saturate to −32767 first, which G.711 maps to
            // the same code the true value would get (G.711 §2.3 clips well below full scale).
            var sample = (short)(ushort)i;
            table[i] = encode(sample == short.MinValue ? (short)-short.MaxValue : sample);
        }

        return table;
    }

    private static byte[] BuildCross(short[] decode, byte[] encode)
    {
        var table = new byte[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = encode[(ushort)decode[i]];
        }

        return table;
    }
}
