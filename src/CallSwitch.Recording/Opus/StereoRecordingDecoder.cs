using System.Buffers.Binary;
using CallSwitch.Recording.Ogg;
using Concentus;

namespace CallSwitch.Recording.Opus;

/// <summary>
/// Decodes a whole stereo recording (RFC 7845 Ogg Opus, left = agent, right = prospect) to
/// interleaved 16-bit PCM at 48 kHz: the encoder's pre-skip dropped, the audio ended at the last
/// page's granule position. For a recording held in memory (a training extract, the self-test's
/// channel checks), not for streaming.
/// </summary>
/// <remarks>Runs on the caller's thread; holds no state.</remarks>
public static class StereoRecordingDecoder
{
    /// <summary>The output's sample rate: Opus decodes at 48 kHz here.</summary>
    public const int Rate = 48000;

    /// <summary>Interleaved samples (left, right, left, …) of <paramref name="ogg"/>.</summary>
    /// <param name="ogg">The decrypted recording.</param>
    /// <exception cref="InvalidDataException">Not an Ogg Opus stream, not two channels, a damaged page or an undecodable packet.</exception>
    public static short[] Decode(ReadOnlySpan<byte> ogg)
    {
        List<(byte[] Packet, long Granule)> packets = OggPacketReader.Read(ogg);
        if (packets.Count < 2 || packets[0].Packet.Length < 19 || !packets[0].Packet.AsSpan(0, 8).SequenceEqual("OpusHead"u8))
        {
            throw new InvalidDataException("not an Ogg Opus stream (no OpusHead)");
        }

        byte[] head = packets[0].Packet;
        if (head[9] != 2)
        {
            throw new InvalidDataException($"a recording has two channels (agent, prospect); this one has {head[9]}");
        }

        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        using IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(Rate, 2);
        var frame = new short[5760 * 2];
        var pcm = new List<short>(packets.Count * 960 * 2);
        long decoded = 0;
        long end = packets[^1].Granule;
        foreach ((byte[] packet, _) in packets.Skip(2))
        {
            int samples = decoder.Decode(packet, frame, 5760, false);
            if (samples < 0)
            {
                throw new InvalidDataException($"an Opus packet does not decode (code {samples})");
            }

            for (int i = 0; i < samples; i++, decoded++)
            {
                // RFC 7845 §4.2: the first pre-skip samples are the encoder's warm-up; the last
                // page's granule position ends the audio (§4.4).
                if (decoded >= preSkip && (end <= 0 || decoded < end))
                {
                    pcm.Add(frame[2 * i]);
                    pcm.Add(frame[(2 * i) + 1]);
                }
            }
        }

        return [.. pcm];
    }
}
