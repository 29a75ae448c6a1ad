using System.Buffers;

namespace CallSwitch.Media.Relay;

/// <summary>
/// A sink that copies each packet into a preallocated ring and lets a consumer (a recorder's
/// writer thread) drain it at its own pace. When the ring is full the packet is dropped and
/// counted: the relay never waits for a consumer.
/// </summary>
/// <remarks>
/// Any number of producers (the relay's threads) and one or more consumers; lock-free after
/// the bounded queue of D. Vyukov (each slot carries a sequence number that says whether it
/// is free for the producer at that position or filled for the consumer). The packets' bytes
/// live in one block of <see cref="InitialSlotLength"/> bytes per slot (a 20 ms G.711 packet is
/// 172), taken from an <see cref="ArrayPool{T}"/> when one is given; a larger packet gets a
/// buffer of the maximum length for its slot, once, on the producer's thread, and the slot keeps
/// it. A recording's two taps were 512 slot objects and 512 arrays per call set-up, zeroed, kept
/// as long as the call and then garbage (the 2026-12-07 set-up profiles: memset 8.4 % of the
/// switch, and the collector's work on them). No allocation after construction for packets up to
/// the maximum length.
/// <para>
/// <see cref="Dispose"/> closes the ring to producers and waits for any still copying into it
/// (a relay thread can be inside <see cref="OnPacket"/> as the call ends), then gives the block
/// back to the pool: a block is never reused while a producer of its last owner can still write
/// into it, or one call's audio could land in another's recording.
/// </para>
/// <para>
/// Given a <see cref="TimeProvider"/>, each packet is stamped with the time it was copied (the
/// relay's receive or send time), so that a consumer that drains late still knows when each
/// packet came (a recorder's timeline places packets by it).
/// </para>
/// </remarks>
public class BoundedCopySink : IMediaSink, IDisposable
{
    /// <summary>The bytes each slot holds in the ring's block before a larger packet gets a buffer of its own.</summary>
    public const int InitialSlotLength = 256;

    /// <summary>The enqueue position once closed: no producer claims a slot any more.</summary>
    private const long Closed = long.MinValue;

    private readonly SlotState[] _slots;
    private readonly int _mask;
    private readonly int _slotSize;
    private readonly int _blockSlotLength;
    private readonly TimeProvider? _time;
    private readonly ArrayPool<byte>? _pool;
    private byte[] _block;
    private byte[]?[]? _grown;
    private long _enqueuePosition;
    private long _dequeuePosition;
    private long _accepted;
    private long _dropped;
    private int _disposed;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots (rounded up to a power of two) of <paramref name="maxPacketLength"/> bytes.</summary>
    /// <param name="capacity">Slots.</param>
    /// <param name="maxPacketLength">The longest packet kept.</param>
    /// <param name="time">Stamps each packet as it is copied (<see cref="TryRead(Span{byte}, out int, out MediaDirection, out long)"/>); none without it.</param>
    /// <param name="pool">Where the ring's block comes from and goes back to at <see cref="Dispose"/>; allocated without one.</param>
    public BoundedCopySink(int capacity, int maxPacketLength = 1500, TimeProvider? time = null, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketLength, 12);
        int size = SlotCount(capacity);
        _slots = new SlotState[size];
        _mask = size - 1;
        _slotSize = maxPacketLength;
        _blockSlotLength = BlockSlotLength(maxPacketLength);
        _time = time;
        _pool = pool;
        int blockLength = BlockLength(capacity, maxPacketLength);
        _block = pool?.Rent(blockLength) ?? new byte[blockLength];
        for (int i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }
    }

    /// <summary>The bytes of the block a sink of <paramref name="capacity"/> slots takes from its pool (to size a pool).</summary>
    public static int BlockLength(int capacity, int maxPacketLength) => SlotCount(capacity) * BlockSlotLength(maxPacketLength);

    /// <summary>Number of slots.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Packets copied into the ring.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Packets dropped because the ring was full or the packet too large.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Packets waiting for the consumer (approximate while producers run; 0 once disposed).</summary>
    public int Count
    {
        get
        {
            long enqueued = Volatile.Read(ref _enqueuePosition);
            return enqueued == Closed ? 0 : (int)Math.Max(0, enqueued - Volatile.Read(ref _dequeuePosition));
        }
    }

    /// <inheritdoc />
    /// <remarks>After <see cref="Dispose"/>, packets are ignored (neither kept nor counted).</remarks>
    public void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction)
    {
        if (rtpPacket.Length > _slotSize)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        long position = Volatile.Read(ref _enqueuePosition);
        while (position != Closed)
        {
            int index = (int)(position & _mask);
            long difference = Volatile.Read(ref _slots[index].Sequence) - position;
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _enqueuePosition, position + 1, position);
                if (seen == position)
                {
                    // This slot (and its bytes) is ours until its sequence is published below.
                    rtpPacket.CopyTo(Storage(index, rtpPacket.Length, forWriting: true));
                    ref SlotState slot = ref _slots[index];
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
    /// <see cref="TimeProvider"/>; 0 without one), and frees its slot. Called by the consumer's
    /// thread; false once disposed.
    /// </summary>
    public bool TryRead(Span<byte> destination, out int length, out MediaDirection direction, out long stamp)
    {
        long position = Volatile.Read(ref _dequeuePosition);
        while (Volatile.Read(ref _disposed) == 0)
        {
            int index = (int)(position & _mask);
            long difference = Volatile.Read(ref _slots[index].Sequence) - (position + 1);
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _dequeuePosition, position + 1, position);
                if (seen == position)
                {
                    ref SlotState slot = ref _slots[index];
                    length = slot.Length;
                    direction = slot.Direction;
                    stamp = slot.Stamp;
                    Storage(index, length, forWriting: false).CopyTo(destination);
                    Volatile.Write(ref slot.Sequence, position + _slots.Length);
                    return true;
                }

                position = seen;
            }
            else if (difference < 0)
            {
                break;
            }
            else
            {
                position = Volatile.Read(ref _dequeuePosition);
            }
        }

        length = 0;
        direction = default;
        stamp = 0;
        return false;
    }

    /// <summary>
    /// Closes the ring: producers' packets are ignored from now on; waits (spinning, then
    /// sleeping: microseconds unless a producer was preempted mid-copy) for those already copying
    /// to finish, then gives the block back to the pool. Call once the consumer has stopped.
    /// Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        long end = Interlocked.Exchange(ref _enqueuePosition, Closed);

        // Every position below `end` was claimed; a slot claimed at p still reads p until its
        // producer has copied and published it (then p + 1, or p + capacity once read).
        for (long p = Math.Max(0, end - _slots.Length); p < end; p++)
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _slots[(int)(p & _mask)].Sequence) == p)
            {
                spin.SpinOnce();
            }
        }

        byte[] block = _block;
        _block = [];
        _pool?.Return(block);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Called on the producer's thread after a packet was stored; a derived class may wake its
    /// consumer here (cheaply: it runs on the relay's hot path). Does nothing by default.
    /// </summary>
    protected virtual void OnCopied()
    {
    }

    /// <summary>Where slot <paramref name="index"/>'s packet of <paramref name="length"/> bytes is: the block, or the slot's own larger buffer.</summary>
    private Span<byte> Storage(int index, int length, bool forWriting)
    {
        if (length <= _blockSlotLength)
        {
            return _block.AsSpan(index * _blockSlotLength, length);
        }

        byte[]?[] grown = Volatile.Read(ref _grown) ?? GrowTable();
        byte[]? buffer = grown[index];
        if (buffer is null && forWriting)
        {
            // Only the slot's owner writes its entry; the published sequence makes it visible to the consumer.
            buffer = grown[index] = new byte[_slotSize];
        }

        return buffer.AsSpan(0, length);
    }

    private static int SlotCount(int capacity) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));

    private static int BlockSlotLength(int maxPacketLength) => Math.Min(maxPacketLength, InitialSlotLength);

    private byte[]?[] GrowTable()
    {
        Interlocked.CompareExchange(ref _grown, new byte[_slots.Length][], null);
        return _grown!;
    }

    private struct SlotState
    {
        public long Sequence;
        public int Length;
        public MediaDirection Direction;
        public long Stamp;
    }
}
