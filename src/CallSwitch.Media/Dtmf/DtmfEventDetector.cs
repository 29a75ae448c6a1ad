namespace CallSwitch.Media.Dtmf;

/// <summary>
/// Turns the RFC 4733 telephone-event packets of one RTP stream into key presses, reporting
/// each key exactly once, as soon as its first packet arrives.
/// </summary>
/// <remarks>
/// <para>
/// Per RFC 4733 §2.5.1 all packets of one event carry the same RTP timestamp (the event's
/// start), with a growing duration; the final packet (E bit) is sent three times (§2.5.1.4).
/// So an event is identified by its timestamp: the first packet with a new, later timestamp
/// reports a key, whether it is the start (marker) packet or, when those were lost, an update
/// or even an end packet. Repeats and late (reordered) packets of earlier events are ignored.
/// </para>
/// <para>
/// Timestamps are compared with serial-number arithmetic (RFC 3550 §5.1, RFC 1982), so they
/// may wrap past 2³²−1. A jump backwards of more than a minute of clock units is not a
/// reordering but a restarted sender, and resynchronises. An event longer than the 16-bit
/// duration is sent as segments with new timestamps (§2.5.2.3): a segment that continues an
/// unfinished event with the same code is not reported again.
/// </para>
/// <para>
/// One instance per received stream, called from the thread that handles that stream's
/// packets; not thread-safe; no allocation. Call <see cref="Reset"/> when the SSRC changes.
/// </para>
/// </remarks>
public sealed class DtmfEventDetector
{
    private readonly int _resyncDistance;
    private readonly int _segmentTolerance;
    private bool _hasEvent;
    private uint _timestamp;
    private byte _eventCode;
    private ushort _duration;
    private bool _ended;

    /// <summary>Creates a detector for a telephone-event stream at <paramref name="clockRate"/> (8000 for narrow-band).</summary>
    public DtmfEventDetector(int clockRate = 8000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        _resyncDistance = clockRate * 60;
        // A segment starts at the previous timestamp + its duration; the last update seen may lag
        // by a lost packet or two, so allow 60 ms. Tighter than a human's gap between two
        // presses of the same key even if all three end packets of the first were lost.
        _segmentTolerance = clockRate * 3 / 50;
    }

    /// <summary>
    /// Feeds one telephone-event payload. Returns true, once per event, when it starts a key
    /// press not reported before.
    /// </summary>
    /// <param name="rtpTimestamp">The packet's RTP timestamp.</param>
    /// <param name="payload">The RTP payload (the caller's buffer; not retained).</param>
    /// <param name="digit">The key, when true is returned.</param>
    public bool TryDetect(uint rtpTimestamp, ReadOnlySpan<byte> payload, out DtmfDigit digit)
    {
        digit = default;
        if (!TelephoneEvent.TryParse(payload, out var report) || !report.IsDtmf)
        {
            return false;
        }

        if (_hasEvent)
        {
            var distance = (int)(rtpTimestamp - _timestamp);
            if (distance == 0)
            {
                // An update or a repeated end packet of the current event.
                _duration = Math.Max(_duration, report.Duration);
                _ended |= report.IsEnd;
                return false;
            }

            if (distance < 0 && distance > -_resyncDistance)
            {
                return false; // a late packet of an earlier event
            }

            if (distance > 0
                && report.EventCode == _eventCode
                && !_ended
                && distance <= _duration + _segmentTolerance)
            {
                // The next segment of a long event (§2.5.2.3): same key, still held.
                Track(rtpTimestamp, report);
                return false;
            }
        }

        Track(rtpTimestamp, report);
        digit = new DtmfDigit(report.Digit, report.EventCode, rtpTimestamp, report.Volume);
        return true;
    }

    /// <summary>Forgets the current event, e.g. when the stream's SSRC changes.</summary>
    public void Reset() => _hasEvent = false;

    private void Track(uint timestamp, TelephoneEvent report)
    {
        _hasEvent = true;
        _timestamp = timestamp;
        _eventCode = report.EventCode;
        _duration = report.Duration;
        _ended = report.IsEnd;
    }
}
