namespace CallSwitch.Media.Dtmf;

/// <summary>
/// Produces the RFC 4733 telephone-event payloads for one key press, one per packet interval,
/// for injecting DTMF into a stream (and for tests).
/// </summary>
/// <remarks>
/// <para>
/// Following RFC 4733 §2.5.1: every packet of the event carries the same RTP timestamp (the
/// caller's, taken when the key goes down) and a growing duration; the first packet has the
/// RTP marker bit set; the last report has the E bit and is sent three times (§2.5.1.4) with
/// the same duration. The caller stamps each packet with that timestamp and consecutive
/// sequence numbers, and sends them one packet interval apart.
/// </para>
/// <para>
/// Durations are limited to 16 bits (about 8 s at 8000 Hz): longer events would need
/// segmenting (§2.5.2.3), which key presses never do. One instance per key press; not
/// thread-safe; <see cref="TryWriteNext"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class DtmfEventGenerator
{
    /// <summary>How many times the final (E bit) report is sent (RFC 4733 §2.5.1.4).</summary>
    public const int EndRepeats = 3;

    private readonly byte _eventCode;
    private readonly byte _volume;
    private readonly int _step;
    private readonly int _updates;
    private readonly ushort _totalDuration;
    private int _next;

    /// <summary>Creates the packets for one key press.</summary>
    /// <param name="digit">'0'–'9', '*', '#', 'A'–'D'.</param>
    /// <param name="duration">How long the key is held (RFC 4733 suggests at least 40 ms; 100 ms is usual).</param>
    /// <param name="volume">Power as −dBm0, 0–63 (10 is typical).</param>
    /// <param name="clockRate">The telephone-event RTP clock rate (8000 unless negotiated otherwise).</param>
    /// <param name="packetInterval">Time between packets; 20 ms when null.</param>
    public DtmfEventGenerator(char digit, TimeSpan duration, byte volume = 10, int clockRate = 8000, TimeSpan? packetInterval = null)
    {
        if (!DtmfDigits.TryGetEventCode(digit, out _eventCode))
        {
            throw new ArgumentException($"'{digit}' is not a DTMF key (0-9, *, #, A-D).", nameof(digit));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, TelephoneEvent.MaxVolume);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        var interval = packetInterval ?? TimeSpan.FromMilliseconds(20);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var total = (long)Math.Round(duration.TotalSeconds * clockRate);
        if (total <= 0 || total > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A key press lasts more than zero and at most 65535 clock units.");
        }

        _volume = volume;
        _step = Math.Max(1, (int)Math.Round(interval.TotalSeconds * clockRate));
        _totalDuration = (ushort)total;
        _updates = (int)((total - 1) / _step); // packets before the end report
    }

    /// <summary>Total number of packets: the updates, then the end report three times.</summary>
    public int PacketCount => _updates + EndRepeats;

    /// <summary>True once every packet has been written.</summary>
    public bool IsComplete => _next >= PacketCount;

    /// <summary>
    /// Writes the next payload into <paramref name="payload"/> (at least 4 bytes; the caller's
    /// buffer).
    /// </summary>
    /// <param name="payload">Destination of the 4-byte payload.</param>
    /// <param name="marker">Whether the RTP marker bit must be set (first packet only).</param>
    /// <returns>False when all packets have been written.</returns>
    public bool TryWriteNext(Span<byte> payload, out bool marker)
    {
        marker = false;
        if (IsComplete)
        {
            return false;
        }

        var isEnd = _next >= _updates;
        var duration = isEnd ? _totalDuration : (ushort)((_next + 1) * _step);
        new TelephoneEvent(_eventCode, isEnd, _volume, duration).WriteTo(payload);
        marker = _next == 0;
        _next++;
        return true;
    }

    /// <summary>Starts over from the first packet.</summary>
    public void Restart() => _next = 0;

    /// <summary>All payloads of one key press as arrays, with their marker bits (allocates; for tests and tools).</summary>
    public static IReadOnlyList<(byte[] Payload, bool Marker)> CreatePayloads(char digit, TimeSpan duration, byte volume = 10)
    {
        var generator = new DtmfEventGenerator(digit, duration, volume);
        var packets = new List<(byte[], bool)>(generator.PacketCount);
        var payload = new byte[TelephoneEvent.Length];
        while (generator.TryWriteNext(payload, out var marker))
        {
            packets.Add((payload.ToArray(), marker));
        }

        return packets;
    }
}
