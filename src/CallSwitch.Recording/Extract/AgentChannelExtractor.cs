using System.Buffers.Binary;
using System.Security.Cryptography;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
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
        short[] stereo = StereoRecordingDecoder.Decode(stereoOgg);
        var agent = new short[stereo.Length / 2];
        for (int i = 0; i < agent.Length; i++)
        {
            agent[i] = stereo[2 * i];
        }

        return EncodeMono(agent, output, tags);
    }

    private static TimeSpan EncodeMono(short[] samples, Stream output, RecordingTags tags)
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
