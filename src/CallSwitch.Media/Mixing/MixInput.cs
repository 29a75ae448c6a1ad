using System.Buffers.Binary;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Mixing;

/// <summary>
/// One talker's audio on its way into the mix: the RTP packets its peer sends are decoded (and
/// brought to 8 kHz) as they arrive, and the samples wait in a small ring until the mixer's
/// tick takes one 20 ms frame.
/// </summary>
/// <remarks>
/// Threads: <see cref="OnPacket"/> runs on a receive thread (one writer; a second writer at
/// the same instant drops its packet rather than wait), <see cref="TryTake"/> on the tick
/// thread (one reader); the ring is single-producer single-consumer and takes no lock.
/// Buffers: every buffer is allocated here, at set-up; the offered packet is decoded straight
/// from the relay's buffer and not kept.
/// </remarks>
internal sealed class MixInput : IMediaSink
{
    // 160 ms of audio: far more than the two frames of jitter the tick absorbs.
    private const int Capacity = 8 * SupervisionMixer.FrameSamples;

    // More than this waiting means the talker's clock runs ahead of ours (or a burst came):
    // the oldest samples go so that the delay stays under two frames.
    private const int MaxBacklog = 3 * SupervisionMixer.FrameSamples;
    private const int KeptBacklog = 2 * SupervisionMixer.FrameSamples;

    // 60 ms payloads at most (the longest ptime the switch offers); longer ones are dropped.
    private const int MaxPayloadBytes = 480;

    private readonly short[] _ring = new short[Capacity];
    private readonly IAudioDecoder _decoder;
    private readonly HalfBandDownsampler? _downsampler;
    private readonly short[] _decoded;
    private readonly short[] _downsampled;
    private readonly int _payloadType;
    private int _busy;
    private uint _ssrc;
    private bool _started;
    private long _written;
    private long _read;
    private long _dropped;
    private long _trimmed;
    private volatile bool _enabled;
    private volatile bool _flush;

    public MixInput(MixFormat format, CodecRegistry codecs, bool enabled)
    {
        _decoder = codecs.CreateDecoder(format.Codec);
        _payloadType = format.PayloadType;
        _decoded = new short[_decoder.GetSampleCount(MaxPayloadBytes)];
        if (format.Codec.SampleRate == 2 * SupervisionMixer.SampleRate)
        {
            _downsampler = new HalfBandDownsampler();
            _downsampled = new short[_downsampler.GetOutputCount(_decoded.Length)];
        }
        else if (format.Codec.SampleRate == SupervisionMixer.SampleRate)
        {
            _downsampled = [];
        }
        else
        {
            throw new NotSupportedException($"{format.Codec.EncodingName} at {format.Codec.SampleRate} Hz cannot be mixed at {SupervisionMixer.SampleRate} Hz.");
        }

        _enabled = enabled;
    }

    /// <summary>Packets not decoded: malformed, too long, contended, or the ring full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Samples thrown away to keep the delay bounded.</summary>
    public long Trimmed => Interlocked.Read(ref _trimmed);

    /// <summary>
    /// Whether packets are decoded at all: a listening supervisor's audio is not (nobody hears
    /// it, so it costs nothing). Set on the signalling thread.
    /// </summary>
    public bool Enabled
    {
        get => _enabled;
        set
        {
            // Samples left from an earlier spell would be heard late: start from now.
            _flush |= value && !_enabled;
            _enabled = value;
        }
    }

    public void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction)
    {
        if (direction != MediaDirection.Received || !_enabled)
        {
            return;
        }

        if (!RtpPacket.TryLocatePayload(rtpPacket, out int offset, out int length) || (rtpPacket[1] & 0x7F) != _payloadType)
        {
            // Telephone events, comfort noise, another codec: not voice for the mix.
            return;
        }

        if (length > MaxPayloadBytes || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        try
        {
            uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtpPacket.Slice(8));
            if (!_started || ssrc != _ssrc)
            {
                // A new source: the predictors and filter history of the old one are noise to it.
                _decoder.Reset();
                _downsampler?.Reset();
                _ssrc = ssrc;
                _started = true;
            }

            int count = _decoder.Decode(rtpPacket.Slice(offset, length), _decoded);
            ReadOnlySpan<short> pcm = _decoded.AsSpan(0, count);
            if (_downsampler is not null)
            {
                count = _downsampler.Process(pcm, _downsampled);
                pcm = _downsampled.AsSpan(0, count);
            }

            Write(pcm);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Takes the oldest 20 ms waiting (tick thread only).</summary>
    /// <returns>False when less than a frame is waiting: the talker is silent (or late) this tick.</returns>
    public bool TryTake(Span<short> frame)
    {
        long written = Volatile.Read(ref _written);
        long read = _read;
        if (_flush)
        {
            _flush = false;
            read = written;
        }

        if (written - read > MaxBacklog)
        {
            Interlocked.Add(ref _trimmed, written - read - KeptBacklog);
            read = written - KeptBacklog;
        }

        if (written - read < SupervisionMixer.FrameSamples)
        {
            Volatile.Write(ref _read, read);
            return false;
        }

        int start = (int)(read % Capacity);
        int first = Math.Min(SupervisionMixer.FrameSamples, Capacity - start);
        _ring.AsSpan(start, first).CopyTo(frame);
        _ring.AsSpan(0, SupervisionMixer.FrameSamples - first).CopyTo(frame.Slice(first));
        Volatile.Write(ref _read, read + SupervisionMixer.FrameSamples);
        return true;
    }

    private void Write(ReadOnlySpan<short> pcm)
    {
        long written = _written;
        long read = Volatile.Read(ref _read);
        if (written - read + pcm.Length > Capacity)
        {
            // The tick has stalled: losing this packet is better than overwriting unread audio.
            Interlocked.Increment(ref _dropped);
            return;
        }

        int start = (int)(written % Capacity);
        int first = Math.Min(pcm.Length, Capacity - start);
        pcm.Slice(0, first).CopyTo(_ring.AsSpan(start));
        pcm.Slice(first).CopyTo(_ring);
        Volatile.Write(ref _written, written + pcm.Length);
    }
}
