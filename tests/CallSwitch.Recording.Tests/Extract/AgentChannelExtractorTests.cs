using System.Buffers.Binary;
using System.Text;
using CallSwitch.Recording.Extract;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Tests.Support;
using Concentus;

namespace CallSwitch.Recording.Tests.Extract;

/// <summary>
/// A training extract keeps the agent and loses the prospect: a stereo recording (agent 440 Hz on
/// the left until 2.5 s, prospect 1 kHz on the right from 1.5 s) is extracted, then the extract
/// decoded and measured: one channel, the agent's tone there, the prospect's not, no call id.
/// </summary>
public class AgentChannelExtractorTests
{
    private const int SourceRate = 16000;

    [Theory]
    [InlineData(OpusImplementation.Native)]
    [InlineData(OpusImplementation.Managed)]
    public void TheExtractIsMonoWithTheAgentAndWithoutTheProspect(OpusImplementation implementation)
    {
        byte[] source = Conversation(implementation);
        using var extract = new MemoryStream();

        TimeSpan duration = AgentChannelExtractor.Extract(source, extract, new RecordingTags("extract-7", "spring"));

        List<(byte[] Packet, long Granule)> packets = OggPacketReader.Read(extract.ToArray());
        Assert.Equal(1, packets[0].Packet[9]);
        string tags = Encoding.UTF8.GetString(packets[1].Packet);
        Assert.Contains("RECORDING_ID=extract-7", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("rec-42", tags, StringComparison.Ordinal);
        Assert.InRange(duration.TotalSeconds, 3.9, 4.1);

        short[] mono = DecodeMono(packets);
        Assert.InRange(mono.Length / 2 / 48000.0, 3.9, 4.1);

        // Agent alone: the agent's tone. Prospect alone: silence, where the source's right channel had the prospect.
        double agentAlone = Signals.Tonepower(mono, 0, 48000, 440, 0.5, 1.4);
        double prospectAloneTotal = Signals.Power(mono, 0, 48000, 2.8, 3.8);
        double agentAloneTotal = Signals.Power(mono, 0, 48000, 0.5, 1.4);
        Assert.True(agentAlone > 1e5, $"the agent's tone is missing ({agentAlone:E1})");
        Assert.True(Signals.Decibels(agentAloneTotal, prospectAloneTotal) >= 40, $"the prospect-only part is {Signals.Decibels(agentAloneTotal, prospectAloneTotal):F1} dB below the agent: not silent");

        // Both talking: the prospect's 1 kHz is not in the extract.
        double agentBoth = Signals.Tonepower(mono, 0, 48000, 440, 1.6, 2.4);
        double prospectBoth = Signals.Tonepower(mono, 0, 48000, 1000, 1.6, 2.4);
        Assert.True(Signals.Decibels(agentBoth, prospectBoth) >= 40, $"the prospect leaks into the extract at {Signals.Decibels(prospectBoth, agentBoth):F1} dB");
    }

    [Fact]
    public void SomethingThatIsNotAStereoRecordingIsRefused()
    {
        Assert.Throws<InvalidDataException>(() => AgentChannelExtractor.Extract("not ogg"u8, Stream.Null, new RecordingTags("x", "y")));
        byte[] damaged = Conversation(OpusImplementation.Managed);
        damaged[^10] ^= 0xFF;
        Assert.Contains("CRC", Assert.Throws<InvalidDataException>(() => AgentChannelExtractor.Extract(damaged, Stream.Null, new RecordingTags("x", "y"))).Message, StringComparison.Ordinal);
    }

    private static byte[] Conversation(OpusImplementation implementation)
    {
        using var file = new MemoryStream();
        using (var writer = new OpusRecordingWriter(
            file,
            new StereoOpusEncoder(new StereoOpusEncoderOptions { Implementation = implementation, InputSampleRate = SourceRate }),
            new RecordingTags("rec-42", "spring"),
            serialNumber: 0x4242))
        {
            Signals.WriteConversation(writer, SourceRate, frames: 200, agentTalks: t => t < 2.5, prospectTalks: t => t >= 1.5);
            writer.Complete();
        }

        return file.ToArray();
    }

    /// <summary>The extract decoded at 48 kHz, pre-skip dropped, as "interleaved" samples with an empty right channel (for <see cref="Signals"/>).</summary>
    private static short[] DecodeMono(List<(byte[] Packet, long Granule)> packets)
    {
        // OpusHead's pre-skip (RFC 7845 §4.2): the decoder's priming samples, not audio.
        int priming = BinaryPrimitives.ReadUInt16LittleEndian(packets[0].Packet.AsSpan(10));
        using IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(48000, 1);
        var frame = new short[5760];
        var samples = new List<short>();
        foreach ((byte[] packet, _) in packets.Skip(2))
        {
            int count = decoder.Decode(packet, frame, 5760, false);
            samples.AddRange(frame.Take(count));
        }

        long end = packets[^1].Granule - priming;
        return samples.Skip(priming).Take((int)end).SelectMany(s => new[] { s, (short)0 }).ToArray();
    }
}
