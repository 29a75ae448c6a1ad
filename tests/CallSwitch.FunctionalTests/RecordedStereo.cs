using System.Buffers.Binary;
using CallSwitch.Recording.Encryption;
using CallSwitch.TestSupport.Media;
using Concentus;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// A recording decrypted and decoded in process (no external tool, to stay fast): the Ogg pages'
/// packets (RFC 7845) through Concentus's Opus decoder to 48 kHz interleaved stereo, left = agent,
/// right = prospect.
/// </summary>
internal sealed class RecordedStereo
{
    public const int Rate = 48000;

    private RecordedStereo(short[] pcm, int channels)
    {
        Pcm = pcm;
        Channels = channels;
    }

    /// <summary>Interleaved samples.</summary>
    public short[] Pcm { get; }

    /// <summary>The channel count of the OpusHead.</summary>
    public int Channels { get; }

    /// <summary>Seconds of audio.</summary>
    public double Seconds => Pcm.Length / 2.0 / Rate;

    /// <summary>Decrypts <paramref name="path"/> with <paramref name="keys"/> and decodes it.</summary>
    public static RecordedStereo Open(string path, RecordingKeyManager keys)
    {
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), id => keys.GetDataKey(id).Key.ToArray());
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return Decode(plain.ToArray());
    }

    /// <summary>Power at <paramref name="hz"/> on <paramref name="channel"/> (0 left, 1 right) over [from, to) seconds.</summary>
    public double TonePower(int channel, double hz, double from, double to)
    {
        int start = (int)(from * Rate);
        int end = Math.Min((int)(to * Rate), Pcm.Length / 2);
        Assert.True(end - start >= Rate / 20, $"[{from}, {to}) s is outside the {Seconds:F2} s recording");
        return ToneMeter.TonePower(Pcm.AsSpan(2 * start, 2 * (end - start)), Rate, hz, stride: 2, offset: channel);
    }

    private static RecordedStereo Decode(byte[] ogg)
    {
        List<byte[]> packets = Packets(ogg);
        Assert.True(packets.Count > 2, $"{packets.Count} Ogg packet(s): no audio");
        Assert.Equal("OpusHead", System.Text.Encoding.ASCII.GetString(packets[0], 0, 8));
        int channels = packets[0][9];
        IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(Rate, 2);
        var pcm = new List<short>();
        var frame = new short[5760 * 2];
        foreach (byte[] packet in packets.Skip(2))
        {
            int samples = decoder.Decode(packet, frame, 5760, false);
            pcm.AddRange(frame.AsSpan(0, samples * 2));
        }

        // OpusHead's pre-skip (RFC 7845 §5.1): the decoder's first samples are not audio.
        return new RecordedStereo([.. pcm.Skip(BinaryPrimitives.ReadUInt16LittleEndian(packets[0].AsSpan(10)) * 2)], channels);
    }

    /// <summary>The packets of an Ogg stream, joined across pages by their lacing values.</summary>
    private static List<byte[]> Packets(byte[] ogg)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        int offset = 0;
        while (offset + 27 <= ogg.Length)
        {
            Assert.Equal("OggS", System.Text.Encoding.ASCII.GetString(ogg, offset, 4));
            int segments = ogg[offset + 26];
            int body = offset + 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                int lacing = ogg[offset + 27 + i];
                current.AddRange(ogg.AsSpan(body, lacing));
                body += lacing;
                if (lacing < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }

            offset = body;
        }

        return packets;
    }
}
