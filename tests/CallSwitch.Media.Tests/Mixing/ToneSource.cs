using CallSwitch.Media.Codecs;
using CallSwitch.Media.Tests.Relay;

namespace CallSwitch.Media.Tests.Mixing;

/// <summary>A party that says one steady tone: 20 ms RTP packets of a continuous sine in its codec.</summary>
internal sealed class ToneSource(double frequency, AudioCodecInfo codec, int payloadType, uint ssrc, double amplitude = 8000)
{
    private readonly IAudioEncoder _encoder = CodecRegistry.Default.CreateEncoder(codec);
    private readonly short[] _pcm = new short[codec.SamplesPerFrame];
    private long _sample;
    private ushort _sequence = 100;
    private uint _timestamp = 5000;

    public double Frequency { get; } = frequency;

    /// <summary>The payloads sent so far, in order.</summary>
    public List<byte[]> Sent { get; } = [];

    public byte[] NextPacket()
    {
        for (int i = 0; i < _pcm.Length; i++, _sample++)
        {
            _pcm[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * Frequency * _sample / codec.SampleRate));
        }

        byte[] payload = new byte[_encoder.GetPayloadLength(_pcm.Length)];
        _encoder.Encode(_pcm, payload);
        Sent.Add(payload);
        byte[] packet = UdpPeer.Rtp(payloadType, _sequence++, _timestamp, ssrc, payload);
        _timestamp += (uint)codec.RtpTimestampPerFrame;
        return packet;
    }
}
