using System.Buffers;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Recording.Capture;

/// <summary>
/// The recorder's fork on one relay leg: packets of one direction (usually
/// <see cref="MediaDirection.Received"/> from the party's phone or trunk) are copied into a
/// bounded ring; everything else is ignored. The relay never waits: a full ring drops and
/// counts, and the recording is then marked incomplete by <see cref="RecordingPump"/>.
/// </summary>
/// <remarks>
/// <see cref="OnPacket"/> follows the <see cref="IMediaSink"/> contract (relay threads, span
/// borrowed, never blocks, never throws, no allocation). <see cref="TryRead"/> is for the
/// recorder's consumer thread. Each packet is stamped with the time the relay handed it over
/// (of the tap's <see cref="TimeProvider"/>): the recorder places it by that time, not by when
/// its thread got round to draining it. <see cref="Dispose"/>, once the consumer has stopped,
/// closes the ring to the relay and gives its block back to the pool.
/// </remarks>
public sealed class PartyTap : IMediaSink, IDisposable
{
    private readonly BoundedCopySink _queue;

    /// <summary>Creates a tap for <paramref name="party"/> keeping packets that travel in <paramref name="direction"/>.</summary>
    /// <param name="party">Whose audio this leg carries.</param>
    /// <param name="direction">Which direction of the leg carries it.</param>
    /// <param name="capacity">Ring slots; 64 packets of 20 ms is 1.28 s of slack for the consumer.</param>
    /// <param name="maxPacketLength">Bytes per slot; a longer packet is dropped and counted like an overflow.</param>
    /// <param name="time">Stamps each packet's arrival: the recorder's clock (the system's by default).</param>
    /// <param name="pool">Where the ring's block comes from (and goes back to at <see cref="Dispose"/>); allocated without one.</param>
    public PartyTap(Party party, MediaDirection direction = MediaDirection.Received, int capacity = 64, int maxPacketLength = 1500, TimeProvider? time = null, ArrayPool<byte>? pool = null)
    {
        Party = party;
        Direction = direction;
        _queue = new BoundedCopySink(capacity, maxPacketLength, time ?? TimeProvider.System, pool);
    }

    /// <summary>Whose audio this tap carries.</summary>
    public Party Party { get; }

    /// <summary>The leg direction kept.</summary>
    public MediaDirection Direction { get; }

    /// <summary>Packets dropped because the ring was full (the recorder fell behind).</summary>
    public long Dropped => _queue.Dropped;

    /// <summary>Packets queued so far.</summary>
    public long Accepted => _queue.Accepted;

    /// <inheritdoc />
    public void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction)
    {
        if (direction == Direction)
        {
            _queue.OnPacket(rtpPacket, direction);
        }
    }

    /// <summary>
    /// Copies the oldest queued packet into <paramref name="destination"/> (1500 bytes), with when it
    /// arrived (a timestamp of the tap's <see cref="TimeProvider"/>). Consumer thread.
    /// </summary>
    public bool TryRead(Span<byte> destination, out int length, out long arrival) => _queue.TryRead(destination, out length, out _, out arrival);

    /// <summary>Closes the ring (the relay's packets are ignored from now on) and gives its block back, once no relay thread is copying into it.</summary>
    public void Dispose() => _queue.Dispose();
}
