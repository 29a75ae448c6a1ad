using System.Buffers.Binary;
using CallSwitch.Recording.Ogg;
using Concentus;

namespace CallSwitch.Server.WebConsole.Recordings;

/// <summary>
/// Both channels' envelopes of a recording (left the agent, right the prospect): its Ogg pages'
/// packets (RFC 7845) decoded with Opus at 8 kHz, the peak of each of <see cref="Buckets"/>
/// equal slices, 0 to 1.
/// </summary>
/// <param name="Seconds">The audio's length.</param>
/// <param name="Agent">The left channel's peaks.</param>
/// <param name="Prospect">The right channel's peaks.</param>
public sealed record Waveform(double Seconds, IReadOnlyList<double> Agent, IReadOnlyList<double> Prospect)
{
    /// <summary>Slices per channel.</summary>
    public const int Buckets = 500;

    private const int Rate = 8000;

    /// <summary>Decodes an Ogg Opus stream; an empty waveform when it holds no audio.</summary>
    public static Waveform Of(byte[] ogg)
    {
        ArgumentNullException.ThrowIfNull(ogg);
        List<byte[]> packets = Packets(ogg);
        if (packets.Count < 3 || !packets[0].AsSpan().StartsWith("OpusHead"u8))
        {
            return new Waveform(0, [], []);
        }

        // RFC 7845 §5.1: pre-skip is counted at 48 kHz.
        int skip = BinaryPrimitives.ReadUInt16LittleEndian(packets[0].AsSpan(10)) * Rate / 48000;
        IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(Rate, 2);
        var left = new List<short>();
        var right = new List<short>();
        var frame = new short[Rate * 120 / 1000 * 2];
        foreach (byte[] packet in packets.Skip(2))
        {
            int samples = decoder.Decode(packet, frame, frame.Length / 2, false);
            for (int i = 0; i < samples; i++)
            {
                left.Add(frame[2 * i]);
                right.Add(frame[(2 * i) + 1]);
            }
        }

        int count = Math.Max(0, left.Count - skip);
        return new Waveform((double)count / Rate, Peaks(left, skip, count), Peaks(right, skip, count));
    }

    private static double[] Peaks(List<short> samples, int skip, int count)
    {
        var peaks = new double[count == 0 ? 0 : Buckets];
        for (int b = 0; b < peaks.Length; b++)
        {
            int from = skip + (int)((long)b * count / Buckets);
            int to = skip + (int)((long)(b + 1) * count / Buckets);
            int peak = 0;
            for (int i = from; i < to; i++)
            {
                peak = Math.Max(peak, Math.Abs((int)samples[i]));
            }

            peaks[b] = Math.Round(peak / 32768.0, 3);
        }

        return peaks;
    }

    /// <summary>The packets of an Ogg stream's intact pages, joined across pages by their lacing values.</summary>
    private static List<byte[]> Packets(byte[] ogg)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        foreach (OggPageScanner.Page page in OggPageScanner.Scan(ogg))
        {
            int segments = ogg[page.Offset + 26];
            int body = page.Offset + OggPageWriter.HeaderLength + segments;
            for (int i = 0; i < segments; i++)
            {
                int lacing = ogg[page.Offset + OggPageWriter.HeaderLength + i];
                current.AddRange(ogg.AsSpan(body, lacing));
                body += lacing;
                if (lacing < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }
        }

        return packets;
    }
}
