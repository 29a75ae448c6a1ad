using CallSwitch.Media.Codecs;
using CallSwitch.Media.Rtp;
using CallSwitch.Media.Tests.Codecs;

namespace CallSwitch.Media.Tests.Mixing;

/// <summary>What one recipient got: its packets' headers, and their audio decoded in order.</summary>
internal sealed class HeardStream(AudioCodecInfo codec)
{
    private readonly IAudioDecoder _decoder = CodecRegistry.Default.CreateDecoder(codec);
    private readonly List<short> _pcm = [];

    public List<(ushort Sequence, uint Timestamp, uint Ssrc, bool Marker, byte[] Payload)> Packets { get; } = [];

    public AudioCodecInfo Codec { get; } = codec;

    public void Add(byte[] datagram)
    {
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        byte[] payload = packet.Payload.ToArray();
        Packets.Add((packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Marker, payload));
        short[] pcm = new short[_decoder.GetSampleCount(payload.Length)];
        _decoder.Decode(payload, pcm);
        _pcm.AddRange(pcm);
    }

    /// <summary>The tone's amplitude in the audio of packets [from, to), past the codecs' filter warm-up.</summary>
    public double Level(double frequency, int fromPacket, int toPacket)
    {
        int perPacket = Codec.SamplesPerFrame;
        short[] span = _pcm.Skip(fromPacket * perPacket).Take((toPacket - fromPacket) * perPacket).ToArray();
        return SignalMath.ToneAmplitude(span, frequency, Codec.SampleRate);
    }
}
