using System.Buffers;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Recording.Timeline;

/// <summary>
/// One party's samples on the recording timeline: a ring of PCM at the timeline rate into which
/// each packet is written at the position its RTP timestamp gives, and from which the recorder
/// takes one frame at a time. Positions nobody wrote stay zero: loss, silence suppression and
/// hold become silence.
/// </summary>
/// <remarks>
/// <para>
/// Timestamp to position (RFC 3550 §5.1: the timestamp counts sampling instants of the
/// sender's clock): position = timestamp × rate / clock rate + offset. The offset is the
/// smallest "transit" (arrival position − media position) seen since the last anchor: the
/// packet that arrived fastest defines where the stream sits, later ones land relative to it,
/// so jitter and reordering within the playout delay do not move the audio. A packet faster
/// than the anchor by less than one 20 ms frame leaves the offset alone: every move of the
/// offset is a discontinuity in the audio (a click, a tone's phase jump), and under load the
/// arrival times keep finding new minima a fraction of a millisecond lower. The party is
/// re-anchored on its first packet, a new SSRC, a new clock rate, a jump beyond the resync
/// threshold, or after five packets in a row near or past the playout delay (the sender's
/// clock drifted, or the path got longer); a single very late packet is dropped instead.
/// </para>
/// <para>Consumer thread only. No allocation after construction (and the first narrowband packet on a wideband timeline).</para>
/// <para>
/// The ring comes from a pool private to the timelines and goes back at <see cref="Release"/>
/// all zero: reading a frame clears it, and what was written ahead of the last frame read is
/// cleared then (two 32 KB rings per recording at 8 kHz were allocated, zeroed and collected at
/// every recorded call set-up).
/// </para>
/// </remarks>
internal sealed class PartyTrack
{
    // One packet on the timeline, at most: 60 ms at 48 kHz, or a 1,500-byte G.722 packet (2,976).
    private const int MaxPacketSamples = 4096;
    private const int LateRunToResync = 5;
    private static readonly TimeSpan SettleMargin = TimeSpan.FromMilliseconds(20);

    /// <summary>Rings reused from one recording to the next, handed out all zero; up to 512 of each size wait here.</summary>
    private static readonly ArrayPool<short> Rings = ArrayPool<short>.Create(1 << 16, 512);

    private short[] _ring;
    private readonly int _mask;
    private readonly int _rate;
    private readonly long _playoutDelay;
    private readonly long _resyncThreshold;
    private readonly long _settleMargin;
    private readonly HalfBandUpsampler _upsampler = new();
    private short[]? _scratch;
    private bool _anchored;
    private uint _ssrc;
    private int _clockRate;
    private long _lastExtendedTimestamp;
    private long _offset;
    private int _lateRun;
    private long _lateRunMinimum;
    private long _highWater;

    public PartyTrack(int rate, TimeSpan playoutDelay, TimeSpan resyncThreshold)
    {
        _rate = rate;
        _playoutDelay = ToSamples(playoutDelay);
        _resyncThreshold = ToSamples(resyncThreshold);
        _settleMargin = ToSamples(SettleMargin);
        // The playout delay, a second of packets ahead of the reader, and one packet: 32 KB at
        // 8 kHz. Every recording allocates two of them (at 1,000 set-ups per second, 64 MB/s).
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(_playoutDelay + MaxPacketSamples + rate));
        _ring = Rings.Rent(capacity);
        _mask = capacity - 1;
    }

    public long LatePackets { get; private set; }

    public long Resynchronizations { get; private set; }

    /// <summary>Places one decoded packet; <paramref name="arrival"/> and <paramref name="readPosition"/> are timeline samples.</summary>
    public PacketPlacement Write(uint ssrc, uint rtpTimestamp, int rtpClockRate, ReadOnlySpan<short> pcm, int sampleRate, long arrival, long readPosition)
    {
        ReadOnlySpan<short> samples = Resample(pcm, sampleRate);
        bool sameStream = _anchored && ssrc == _ssrc && rtpClockRate == _clockRate;

        // RFC 3550 §5.1: 32-bit timestamps wrap; extend them by the signed distance to the last one.
        long extended = sameStream ? _lastExtendedTimestamp + (int)(rtpTimestamp - (uint)_lastExtendedTimestamp) : rtpTimestamp;
        long mediaPosition = extended * _rate / rtpClockRate;
        long transit = arrival - mediaPosition;
        var placement = PacketPlacement.Placed;
        if (!sameStream || Math.Abs(transit - _offset) > _resyncThreshold)
        {
            if (_anchored)
            {
                Resynchronizations++;
            }

            _anchored = true;
            _lateRun = 0;
            _ssrc = ssrc;
            _clockRate = rtpClockRate;
            _offset = transit;
            placement = PacketPlacement.Resynchronized;
        }
        else if (transit < _offset - _settleMargin)
        {
            // This packet came a frame or more faster than the one we anchored on: the anchor was delayed.
            _offset = transit;
            _lateRun = 0;
        }
        else if (transit - _offset > _playoutDelay * 3 / 4)
        {
            // Close to or past the playout delay. One such packet is jitter (it lands if still
            // in time, else it is late); a run of them means the sender's clock runs slower than
            // ours or the path got longer: follow the fastest of the run.
            _lateRunMinimum = _lateRun == 0 ? transit : Math.Min(_lateRunMinimum, transit);
            if (++_lateRun >= LateRunToResync)
            {
                Resynchronizations++;
                _offset = _lateRunMinimum;
                _lateRun = 0;
                placement = PacketPlacement.Resynchronized;
            }
        }
        else
        {
            // On time, or faster than the anchor by less than a frame: placed where the anchor says.
            _lateRun = 0;
        }

        if (extended > _lastExtendedTimestamp || placement == PacketPlacement.Resynchronized)
        {
            _lastExtendedTimestamp = extended;
        }

        long position = mediaPosition + _offset;
        if (position + samples.Length <= readPosition)
        {
            LatePackets++;
            return PacketPlacement.Late;
        }

        if (position + samples.Length > readPosition + _ring.Length)
        {
            // Only when the consumer stopped pumping for longer than the ring: never overwrite unread audio.
            LatePackets++;
            return PacketPlacement.Late;
        }

        int skip = (int)Math.Max(0, readPosition - position);
        for (int i = skip; i < samples.Length; i++)
        {
            _ring[(position + i) & _mask] = samples[i];
        }

        _highWater = Math.Max(_highWater, position + samples.Length);

        return placement;
    }

    /// <summary>Copies the samples at [<paramref name="position"/>, +count) into every other slot of <paramref name="interleaved"/> and clears them.</summary>
    public void ReadFrame(long position, Span<short> interleaved, int channel, bool silence)
    {
        int count = interleaved.Length / 2;
        for (int i = 0; i < count; i++)
        {
            ref short slot = ref _ring[(position + i) & _mask];
            interleaved[(2 * i) + channel] = silence ? (short)0 : slot;
            slot = 0;
        }
    }

    /// <summary>
    /// Gives the ring back once the timeline is done with it: clears what was written at or
    /// after <paramref name="readPosition"/> (the first sample not read), so that the ring goes
    /// back all zero. The track is unusable afterwards. Idempotent.
    /// </summary>
    public void Release(long readPosition)
    {
        short[] ring = _ring;
        if (ring.Length == 0)
        {
            return;
        }

        for (long p = Math.Max(readPosition, _highWater - _mask - 1); p < _highWater; p++)
        {
            ring[p & _mask] = 0;
        }

        _ring = [];
        Rings.Return(ring);
    }

    private ReadOnlySpan<short> Resample(ReadOnlySpan<short> pcm, int sampleRate)
    {
        if (sampleRate == _rate)
        {
            return pcm.Length <= MaxPacketSamples ? pcm : throw TooLong(nameof(pcm));
        }

        if (sampleRate * 2 == _rate)
        {
            if (pcm.Length * 2 > MaxPacketSamples)
            {
                throw TooLong(nameof(pcm));
            }

            // Only a narrowband party on a wideband timeline needs it.
            _scratch ??= new short[MaxPacketSamples];
            int written = _upsampler.Process(pcm, _scratch);
            return _scratch.AsSpan(0, written);
        }

        throw new NotSupportedException($"PCM at {sampleRate} Hz cannot join a {_rate} Hz timeline.");
    }

    private static ArgumentException TooLong(string name) =>
        new($"A packet holds at most {MaxPacketSamples} samples on the timeline.", name);

    private long ToSamples(TimeSpan span) => span.Ticks * _rate / TimeSpan.TicksPerSecond;
}
