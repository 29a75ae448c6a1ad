using CallSwitch.Media.Codecs;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Mixing;

/// <summary>
/// One recipient's mixed stream: 8 kHz mix → (16 kHz for G.722) → the recipient's codec → an
/// RTP packet in a buffer of its own, numbered as one continuous stream of the mixer's.
/// </summary>
/// <remarks>
/// Tick thread only. The timestamp advances by 160 per tick index, so skipped ticks and
/// pauses leave the gap a receiver expects; the first packet after a pause carries the marker
/// and starts from fresh encoder state. When the packet then goes through a leg's
/// <see cref="RtpStreamRewriter"/>, that rewriter makes the leg's stream continuous across the
/// switch between forwarded and mixed audio.
/// </remarks>
internal sealed class MixOutput
{
    private readonly IAudioEncoder _encoder;
    private readonly HalfBandUpsampler? _upsampler;
    private readonly short[] _upsampled;
    private readonly byte[] _packet;
    private readonly int _payloadType;
    private readonly uint _ssrc;
    private readonly int _timestampPerFrame;
    private ushort _sequence;
    private uint _timestamp;
    private long _lastTick;
    private bool _active;

    public MixOutput(MixFormat format, CodecRegistry codecs)
    {
        _encoder = codecs.CreateEncoder(format.Codec);
        _payloadType = format.PayloadType;
        _timestampPerFrame = format.Codec.RtpTimestampPerFrame;
        if (format.Codec.SampleRate == 2 * SupervisionMixer.SampleRate)
        {
            _upsampler = new HalfBandUpsampler();
            _upsampled = new short[_upsampler.GetOutputCount(SupervisionMixer.FrameSamples)];
        }
        else if (format.Codec.SampleRate == SupervisionMixer.SampleRate)
        {
            _upsampled = [];
        }
        else
        {
            throw new NotSupportedException($"{format.Codec.EncodingName} at {format.Codec.SampleRate} Hz cannot be fed from a {SupervisionMixer.SampleRate} Hz mix.");
        }

        int samples = _upsampler?.GetOutputCount(SupervisionMixer.FrameSamples) ?? SupervisionMixer.FrameSamples;
        _packet = new byte[RtpPacket.FixedHeaderLength + _encoder.GetPayloadLength(samples)];
        _ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _sequence = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        _timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue + 1L);
    }

    /// <summary>Encodes one 20 ms frame of the mix into this recipient's next packet.</summary>
    /// <returns>The packet, in this output's buffer (valid until the next call).</returns>
    public Span<byte> Encode(ReadOnlySpan<short> mix, long tickIndex)
    {
        bool restart = !_active;
        if (restart)
        {
            _encoder.Reset();
            _upsampler?.Reset();
            _active = true;
        }

        if (_lastTick != 0)
        {
            _timestamp += (uint)(Math.Max(1, tickIndex - _lastTick) * _timestampPerFrame);
        }

        _lastTick = tickIndex;
        ReadOnlySpan<short> pcm = mix;
        if (_upsampler is not null)
        {
            int count = _upsampler.Process(mix, _upsampled);
            pcm = _upsampled.AsSpan(0, count);
        }

        RtpPacket.WriteHeader(_packet, _payloadType, restart, _sequence, _timestamp, _ssrc);
        int length = _encoder.Encode(pcm, _packet.AsSpan(RtpPacket.FixedHeaderLength));
        _sequence++;
        return _packet.AsSpan(0, RtpPacket.FixedHeaderLength + length);
    }

    /// <summary>The recipient is fed otherwise for now (forwarded audio): the next frame starts afresh.</summary>
    public void Pause() => _active = false;
}
