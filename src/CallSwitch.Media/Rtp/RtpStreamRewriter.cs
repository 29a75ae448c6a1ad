namespace CallSwitch.Media.Rtp;

/// <summary>
/// Keeps one outgoing RTP stream continuous while the sources feeding it change (an
/// announcement player, then the other leg's audio; or a peer whose SSRC changes after a
/// re-INVITE). The receiver sees a single source (RFC 3550 §8: one SSRC per stream): our own
/// fixed SSRC, sequence numbers that go on by one across a switch, and timestamps that advance
/// by the wall-clock time elapsed since the last packet sent, in units of the codec clock
/// (§5.1: the timestamp reflects the sampling instant). The marker bit is set on the first
/// packet after a switch so that the receiver resynchronises its jitter buffer (RFC 3551 §4.1).
/// </summary>
/// <remarks>
/// Within one source, the input sequence and timestamp are mapped by a constant offset so that
/// losses, reordering and silence gaps of the source stay visible to the receiver. Not thread
/// safe: one writer at a time. The relay serialises writers with <see cref="TryAcquire"/>,
/// which never waits. No allocation.
/// </remarks>
public sealed class RtpStreamRewriter
{
    // RFC 3550 §A.1: beyond these the source is taken to have restarted its sequence.
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;

    private readonly TimeProvider _time;
    private int _busy;
    private bool _hasSent;
    private int _sourceId;
    private uint _inputSsrc;
    private ushort _highestInputSequence;
    private ushort _sequenceOffset;
    private uint _timestampOffset;
    private ushort _highestSequence;
    private uint _highestTimestamp;
    private long _lastSentAt;
    private long _switches;

    /// <summary>Creates a stream with our <paramref name="ssrc"/> and random-looking starting points.</summary>
    /// <param name="ssrc">The SSRC that every rewritten packet carries.</param>
    /// <param name="initialSequence">Sequence number of the first packet (RFC 3550 §5.1 wants it random).</param>
    /// <param name="initialTimestamp">Timestamp of the first packet (random too).</param>
    /// <param name="time">Clock used to measure the gap at a source switch.</param>
    public RtpStreamRewriter(uint ssrc, ushort initialSequence, uint initialTimestamp, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Ssrc = ssrc;
        _time = time;
        _highestSequence = (ushort)(initialSequence - 1);
        _highestTimestamp = initialTimestamp;
    }

    /// <summary>A stream with a random SSRC, starting sequence and timestamp (RFC 3550 §5.1, §8).</summary>
    public static RtpStreamRewriter CreateRandom(TimeProvider time) =>
        new(
            (uint)Random.Shared.NextInt64(1, uint.MaxValue),
            (ushort)Random.Shared.Next(ushort.MaxValue + 1),
            (uint)Random.Shared.NextInt64(uint.MaxValue + 1L),
            time);

    /// <summary>Our SSRC for this stream.</summary>
    public uint Ssrc { get; }

    /// <summary>How many times the feeding source changed (the first source counts).</summary>
    public long Switches => Volatile.Read(ref _switches);

    /// <summary>Highest sequence number sent so far.</summary>
    public ushort HighestSequence => _highestSequence;

    /// <summary>Timestamp of the packet with the highest sequence number sent so far.</summary>
    public uint HighestTimestamp => _highestTimestamp;

    /// <summary>SSRC of the source currently feeding the stream (0 before the first packet).</summary>
    public uint InputSsrc => _inputSsrc;

    /// <summary>Maps a timestamp of the current source into the output stream (for RTCP SR, RFC 3550 §6.4.1).</summary>
    public uint MapTimestamp(uint inputTimestamp) => inputTimestamp + _timestampOffset;

    /// <summary>Takes the single-writer right without waiting; false if another thread holds it.</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Gives back the right taken by <see cref="TryAcquire"/>.</summary>
    public void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>
    /// Rewrites SSRC, sequence number, timestamp and, at a switch, the marker bit of
    /// <paramref name="packet"/> in place.
    /// </summary>
    /// <param name="packet">A packet from the current source, in a buffer the caller owns.</param>
    /// <param name="sourceId">Who feeds the stream (the other leg, an announcement...); a change is a switch, so is a change of the packet's SSRC.</param>
    /// <param name="clockRate">The RTP clock rate of the outgoing payload (8000 for G.711 and G.722, RFC 3551 §4.5.2).</param>
    public void Rewrite(RtpPacket packet, int sourceId, int clockRate) => Rewrite(packet, sourceId, clockRate, _time.GetTimestamp());

    /// <summary>
    /// As <see cref="Rewrite(RtpPacket, int, int)"/>, with the time of sending already read
    /// (the relay reads its clock once per wake-up of its receive loop, not once per packet).
    /// </summary>
    /// <param name="packet">A packet from the current source, in a buffer the caller owns.</param>
    /// <param name="sourceId">Who feeds the stream; a change is a switch.</param>
    /// <param name="clockRate">The RTP clock rate of the outgoing payload.</param>
    /// <param name="now">A timestamp of the rewriter's time provider, no earlier than the previous call's, give or take one wake-up.</param>
    public void Rewrite(RtpPacket packet, int sourceId, int clockRate, long now)
    {
        ushort inputSequence = packet.SequenceNumber;
        uint inputTimestamp = packet.Timestamp;
        uint inputSsrc = packet.Ssrc;

        bool switched = !_hasSent || sourceId != _sourceId || inputSsrc != _inputSsrc;
        int delta = (short)(ushort)(inputSequence - _highestInputSequence);
        if (!switched && (delta > MaxDropout || delta < -MaxMisorder))
        {
            switched = true;
        }

        if (switched)
        {
            ushort outSequence = (ushort)(_highestSequence + 1);
            uint outTimestamp = _hasSent ? _highestTimestamp + ElapsedUnits(now, clockRate) : _highestTimestamp;
            _sequenceOffset = (ushort)(outSequence - inputSequence);
            _timestampOffset = outTimestamp - inputTimestamp;
            _sourceId = sourceId;
            _inputSsrc = inputSsrc;
            _hasSent = true;
            Volatile.Write(ref _switches, _switches + 1);
            delta = 1;
        }

        ushort sequence = (ushort)(inputSequence + _sequenceOffset);
        uint timestamp = inputTimestamp + _timestampOffset;
        packet.Ssrc = Ssrc;
        packet.SequenceNumber = sequence;
        packet.Timestamp = timestamp;
        if (switched)
        {
            packet.Marker = true;
        }

        if (delta > 0)
        {
            _highestInputSequence = inputSequence;
            _highestSequence = sequence;
            _highestTimestamp = timestamp;
            _lastSentAt = now;
        }
    }

    /// <summary>
    /// Notes that the next packet of the current source is deliberately not sent (a key press
    /// withheld from the receiver): the packets after it are numbered on without a gap, so the
    /// receiver sees a pause in the source (its timestamps move on) rather than a loss. Packets
    /// out of order, or from another source, change nothing. Same threading as <see cref="Rewrite(RtpPacket, int, int)"/>.
    /// </summary>
    public void Omit(ushort inputSequence, uint inputSsrc, int sourceId)
    {
        if (_hasSent && sourceId == _sourceId && inputSsrc == _inputSsrc && (ushort)(inputSequence - _highestInputSequence) == 1)
        {
            _highestInputSequence = inputSequence;
            _sequenceOffset--;
        }
    }

    // The gap since the last packet sent, in clock units, rounded to the nearest unit; at
    // least one so that a new source never repeats the previous packet's sampling instant.
    private uint ElapsedUnits(long now, int clockRate)
    {
        long ticks = Math.Max(0, now - _lastSentAt);
        double units = Math.Round(ticks * (double)clockRate / _time.TimestampFrequency, MidpointRounding.AwayFromZero);
        return units < 1 ? 1u : units >= uint.MaxValue ? uint.MaxValue : (uint)units;
    }
}
