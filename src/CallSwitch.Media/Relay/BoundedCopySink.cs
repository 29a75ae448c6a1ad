namespace CallSwitch.Media.Relay;

/// <summary>
/// A sink that copies each packet into a preallocated ring and lets a consumer (a recorder's
/// writer thread) drain it at its own pace. When the ring is full the packet is dropped and
/// counted: the relay never waits for a consumer.
/// </summary>
/// <remarks>
/// Any number of producers (the relay's threads) and one or more consumers; lock-free after
/// the bounded queue of D. Vyukov (each slot carries a sequence number that says whether it
/// is free for the producer at that position or filled for the consumer). The ring owns its
/// slot buffers; <c>TryRead</c> copies out of them. Slots start at
/// <see cref="InitialSlotLength"/> bytes (a 20 ms G.711 packet is 172): a larger packet grows its
/// slot once, on the producer's thread, to the maximum length, and the slot keeps it. A recording's
/// two taps of 64 slots of 1,500 bytes were 192 KB per call set-up, zeroed and soon garbage (the
/// 2026-12-07 set-up profile: allocation, page faults and GC were a third of the switch's CPU).
/// No allocation after construction for packets up to that length.
/// <para>
/// Given a <see cref="TimeProvider"/>, each packet is stamped with the time it was copied (the
/// relay's receive or send time), so that a consumer that drains late still knows when each
/// packet came (a recorder's timeline places packets by it).
/// </para>
/// </remarks>
public class BoundedCopySink : IMediaSink
{
    /// <summary>The bytes each slot holds before a larger packet grows it.</summary>
    public const int InitialSlotLength = 256;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly int _slotSize;
    private readonly TimeProvider? _time;
    private long _enqueuePosition;
    private long _dequeuePosition;
    private long _accepted;
    private long _dropped;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots (rounded up to a power of two) of <paramref name="maxPacketLength"/> bytes.</summary>
    /// <param name="capacity">Slots.</param>
    /// <param name="maxPacketLength">The longest packet kept.</param>
    /// <param name="time">Stamps each packet as it is copied (<see cref="TryRead(Span{byte}, out int, out MediaDirection, out long)"/>); none without it.</param>
    public BoundedCopySink(int capacity, int maxPacketLength = 1500, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketLength, 12);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));
        _slots = new Slot[size];
        _mask = size - 1;
        _slotSize = maxPacketLength;
        _time = time;
        for (int i = 0; i < size; i++)
        {
            _slots[i] = new Slot(new byte[Math.Min(maxPacketLength, InitialSlotLength)], i);
        }
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Packets copied into the ring.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Packets dropped because the ring was full or the packet too large.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Packets waiting for the consumer (approximate while producers run).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref _enqueuePosition) - Volatile.Read(ref _dequeuePosition));

    /// <inheritdoc />
    public void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction)
    {
        if (rtpPacket.Length > _slotSize)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        long position = Volatile.Read(ref _enqueuePosition);
        while (true)
        {
            Slot slot = _slots[position & _mask];
            long difference = Volatile.Read(ref slot.Sequence) - position;
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _enqueuePosition, position + 1, position);
                if (seen == position)
                {
                    if (rtpPacket.Length > slot.Buffer.Length)
                    {
                        // This slot is ours until its sequence is published below.
                        slot.Buffer = new byte[_slotSize];
                    }

                    rtpPacket.CopyTo(slot.Buffer);
                    slot.Length = rtpPacket.Length;
                    slot.Direction = direction;
                    slot.Stamp = _time?.GetTimestamp() ?? 0;
                    Volatile.Write(ref slot.Sequence, position + 1);
                    Interlocked.Increment(ref _accepted);
                    OnCopied();
                    return;
                }

                position = seen;
            }
            else if (difference < 0)
            {
                // The slot still holds a packet from one lap ago: the ring is full.
                Interlocked.Increment(ref _dropped);
                return;
            }
            else
            {
                position = Volatile.Read(ref _enqueuePosition);
            }
        }
    }

    /// <summary>
    /// Copies the oldest packet into <paramref name="destination"/> (at least the max packet
    /// length) and frees its slot. Called by the consumer's thread.
    /// </summary>
    public bool TryRead(Span<byte> destination, out int length, out MediaDirection direction) =>
        TryRead(destination, out length, out direction, out _);

    /// <summary>
    /// Copies the oldest packet into <paramref name="destination"/> (at least the max packet
    /// length), with the time it was copied in (a timestamp of the sink's
    /// <see cref="TimeProvider"/>; 0 without one), and frees its slot. Called by the consumer's thread.
    /// </summary>
    public bool TryRead(Span<byte> destination, out int length, out MediaDirection direction, out long stamp)
    {
        long position = Volatile.Read(ref _dequeuePosition);
        while (true)
        {
            Slot slot = _slots[position & _mask];
            long difference = Volatile.Read(ref slot.Sequence) - (position + 1);
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _dequeuePosition, position + 1, position);
                if (seen == position)
                {
                    length = slot.Length;
                    direction = slot.Direction;
                    stamp = slot.Stamp;
                    slot.Buffer.AsSpan(0, length).CopyTo(destination);
                    Volatile.Write(ref slot.Sequence, position + _slots.Length);
                    return true;
                }

                position = seen;
            }
            else if (difference < 0)
            {
                length = 0;
                direction = default;
                stamp = 0;
                return false;
            }
            else
            {
                position = Volatile.Read(ref _dequeuePosition);
            }
        }
    }

    /// <summary>
    /// Called on the producer's thread after a packet was stored; a derived class may wake its
    /// consumer here (cheaply: it runs on the relay's hot path). Does nothing by default.
    /// </summary>
    protected virtual void OnCopied()
    {
    }

    private sealed class Slot(byte[] buffer, long sequence)
    {
        public byte[] Buffer = buffer;
        public long Sequence = sequence;
        public int Length;
        public MediaDirection Direction;
        public long Stamp;
    }
}
