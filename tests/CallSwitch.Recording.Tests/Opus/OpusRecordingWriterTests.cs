using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Tests.Support;
using Concentus;

namespace CallSwitch.Recording.Tests.Opus;

/// <summary>
/// The silent-frame short-cut: once the encoder has settled on silence its packet is reused
/// instead of calling it again. Proven harmless bit for bit: the file holds exactly the packets an
/// encoder called for every frame produces, through silences of every length and the speech
/// after them (which an encoder left in another state would code differently).
/// </summary>
public sealed class OpusRecordingWriterTests
{
    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void ReusingTheSettledSilentPacketKeepsTheEncodersBytesInSilenceAndItsAudioAfter(int rate)
    {
        // Talk, long silence, talk, silences around the settling count, talk, long silence at the end.
        int settle = OpusRecordingWriter.SilentFramesBeforeReuse;
        (bool Talk, int Frames)[] script =
        [
            (true, 40), (false, 150), (true, 30), (false, settle - 1), (true, 5), (false, settle), (true, 5),
            (false, settle + 1), (true, 20), (false, settle + 2), (true, 3), (false, 60),
        ];
        var options = new StereoOpusEncoderOptions { InputSampleRate = rate };
        using var output = new MemoryStream();
        using var writer = new OpusRecordingWriter(output, new StereoOpusEncoder(options), new RecordingTags("rec-silence", "campaign-1"), serialNumber: 5);
        using var reference = new StereoOpusEncoder(options);
        var expected = new List<byte[]>();
        var frame = new short[writer.Encoder.FrameSize * 2];
        var packet = new byte[StereoOpusEncoder.MaxPacketLength];
        long n = 0;
        var reused = new HashSet<int>();
        long reusedSoFar = 0;
        foreach ((bool talk, int frames) in script)
        {
            for (int f = 0; f < frames; f++)
            {
                for (int i = 0; i < writer.Encoder.FrameSize; i++, n++)
                {
                    frame[2 * i] = talk ? Signals.Tone(440, n, rate) : (short)0;
                    frame[(2 * i) + 1] = talk ? Signals.Tone(1000, n, rate) : (short)0;
                }

                writer.OnFrame(frame);
                if (writer.SilentFramesReused > reusedSoFar)
                {
                    reused.Add(expected.Count);
                    reusedSoFar = writer.SilentFramesReused;
                }

                expected.Add(packet.AsSpan(0, reference.Encode(frame, packet)).ToArray());
            }
        }

        writer.Complete();
        expected.Add(packet.AsSpan(0, reference.Encode(new short[frame.Length], packet)).ToArray());

        // The short-cut was taken in every silence longer than the settling count, from its end on
        // (150 − 25 + 1 + 2 + 60 − 25 frames): the comparisons below are not vacuous.
        Assert.Equal(163, writer.SilentFramesReused);
        List<byte[]> written = OggPacketReader.Read(output.ToArray()).Skip(2).Select(p => p.Packet).ToList(); // after OpusHead and OpusTags
        Assert.Equal(expected.Count, written.Count);

        // Every packet up to the first reuse, and every reused one, is the encoder's own, byte for byte.
        int firstReuse = reused.Min();
        for (int i = 0; i < expected.Count; i++)
        {
            if (i < firstReuse || reused.Contains(i))
            {
                Assert.True(expected[i].AsSpan().SequenceEqual(written[i]), $"packet {i} differs from the encoder's ({written[i].Length} bytes against {expected[i].Length})");
            }
        }

        // After a reused silence the encoder's rate control starts from where it settled, not from
        // where 100 more silent frames would have left it: the talk's packets differ in size and
        // bits, at the level of the codec's own noise (measured 23.7–30 dB below the talk, the shortest stretch the lowest; libopus
        // 1.3.1), not in what they say: a glitch or a wrong channel would be under 10 dB.
        short[] mine = Decode(written);
        short[] theirs = Decode(expected);
        int samplesPerFrame = 960 * 2;
        int frameIndex = 0;
        foreach ((bool talk, int frames) in script)
        {
            if (talk)
            {
                double snr = SignalToDifference(theirs.AsSpan(frameIndex * samplesPerFrame, frames * samplesPerFrame), mine.AsSpan(frameIndex * samplesPerFrame, frames * samplesPerFrame));
                Assert.True(snr >= 20, $"the talk from frame {frameIndex} decodes {snr:F1} dB away from the reference's");
            }

            frameIndex += frames;
        }
    }

    private static short[] Decode(List<byte[]> packets)
    {
        using IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(48000, 2);
        var pcm = new List<short>();
        var frame = new short[5760 * 2];
        foreach (byte[] packet in packets)
        {
            int samples = decoder.Decode(packet, frame, 5760, false);
            Assert.True(samples > 0, $"a packet does not decode ({samples})");
            pcm.AddRange(frame.AsSpan(0, samples * 2));
        }

        return [.. pcm];
    }

    /// <summary>The reference's power over the power of the difference, in dB.</summary>
    private static double SignalToDifference(ReadOnlySpan<short> reference, ReadOnlySpan<short> other)
    {
        double signal = 0;
        double difference = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            double d = reference[i] - other[i];
            difference += d * d;
        }

        return difference == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / difference);
    }
}
