using System.Buffers.Binary;
using System.Security.Cryptography;
using CallSwitch.Recording.Ogg;
using Concentus;
using Concentus.Enums;

namespace CallSwitch.Recording.Extract;

/// <summary>
/// Makes the audio of an anonymised training extract: a stereo recording (RFC 7845 Ogg Opus,
/// left = agent, right = prospect) is decoded, its left channel alone kept and encoded again as
/// a mono Ogg Opus stream. The prospect's channel is not silenced but gone: the output has one
/// channel. The extract's tags carry its own id and the campaign, never the call's or recording's.
/// </summary>
/// <remarks>Not on any call's path: runs on the caller's thread, the whole recording in memory.</remarks>
public static class AgentChannelExtractor
{
    /// <summary>Opus works at 48 kHz here, in 20 ms frames.</summary>
    public const int Rate = 48000;

    /// <summary>Samples per 20 ms frame at 48 kHz.</summary>
    public const int FrameSize = Rate / 50;

    /// <summary>The extract's bit rate: voice, one channel.</summary>
    public const int Bitrate = 24_000;

    /// <summary>Writes the agent's channel of <paramref name="stereoOgg"/> as mono Ogg Opus to <paramref name="output"/>.</summary>
    /// <param name="stereoOgg">The decrypted recording.</param>
    /// <param name="output">Where the extract's Ogg pages go (encrypt on the way: an extract is personal data too).</param>
    /// <param name="tags">The extract's own id and the campaign.</param>
    /// <returns>How much audio the extract holds.</returns>
    /// <exception cref="InvalidDataException">The input is not a stereo Ogg Opus recording.</exception>
    public static TimeSpan Extract(ReadOnlySpan<byte> stereoOgg, Stream output, RecordingTags tags)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(tags);
        List<(byte[] Packet, long Granule)> packets = OggPacketReader.Read(stereoOgg);
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
        List<short> agent = DecodeLeft(packets, preSkip);
        return EncodeMono(agent, output, tags);
    }

    private static List<short> DecodeLeft(List<(byte[] Packet, long Granule)> packets, int preSkip)
    {
        using IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(Rate, 2);
        var stereo = new short[5760 * 2];
        var left = new List<short>(packets.Count * FrameSize);
        long decoded = 0;
        long end = packets[^1].Granule;
        foreach ((byte[] packet, _) in packets.Skip(2))
        {
            int samples = decoder.Decode(packet, stereo, 5760, false);
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
                    left.Add(stereo[2 * i]);
                }
            }
        }

        return left;
    }

    private static TimeSpan EncodeMono(List<short> agent, Stream output, RecordingTags tags)
    {
        using IOpusEncoder encoder = OpusCodecFactory.CreateEncoder(Rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        encoder.Bitrate = Bitrate;
        encoder.UseVBR = true;
        encoder.UseDTX = false;
        int lookahead = encoder.Lookahead;
        var writer = new OggOpusWriter(output, BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4)), 1, lookahead, Rate, tags);
        var frame = new short[FrameSize];
        var packet = new byte[1275];
        short[] samples = [.. agent];

        // The encoder's lookahead is made up at the end with silence, so the last real samples are coded.
        int total = samples.Length + lookahead;
        for (int start = 0; start < total; start += FrameSize)
        {
            Array.Clear(frame);
            int count = Math.Clamp(samples.Length - start, 0, FrameSize);
            samples.AsSpan(Math.Min(start, samples.Length), count).CopyTo(frame);
            int length = encoder.Encode(frame, FrameSize, packet, packet.Length);
            if (length <= 0)
            {
                throw new InvalidOperationException($"Opus encoding failed with code {length}");
            }

            writer.WritePacket(packet.AsSpan(0, length), FrameSize);
        }

        writer.Complete(samples.Length);
        output.Flush();
        return TimeSpan.FromSeconds((double)samples.Length / Rate);
    }
}
