using System.Buffers.Binary;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CallSwitch.Media.Relay;

/// <summary>
/// A fixed pool of receiver threads, each with its own epoll instance over many sockets
/// (Linux). A thread blocks in epoll_wait until some socket is readable, reads each readable
/// socket's datagrams with recvmmsg (up to <c>batch</c> per call) and sends what their handlers
/// relayed with one sendmmsg per batch; it never sleeps, so the relay adds no waiting of its own
/// to a packet's latency. Unlike <c>Socket.Select</c>, the cost of a wait does not grow with the
/// number of sockets, only with the ready ones. Measured in bench/notes/2026-12-07-relay-batching.md.
/// </summary>
/// <remarks>
/// Each registration carries a slot and a generation in epoll's user data, so an event still
/// in a batch for a socket removed meanwhile is recognised and ignored. Sockets are switched
/// to non-blocking so that a stale event can never block the thread.
/// </remarks>
internal sealed class EpollDriver : ReceiverPoolDriver
{
    /// <param name="threads">Receive threads, each with its epoll instance.</param>
    /// <param name="batch">Datagrams per recvmmsg and per sendmmsg.</param>
    /// <param name="batchedSends">Whether a batch's relayed packets go out with one sendmmsg (else one send each).</param>
    /// <param name="time">Whose timestamps the handlers get, one per wake-up (default: the system's).</param>
    public EpollDriver(int threads, int batch, bool batchedSends, TimeProvider? time = null)
        : base(RequireEpoll(threads), index => new Receiver(index, batch, batchedSends, time ?? TimeProvider.System))
    {
    }

    private static int RequireEpoll(int threads) =>
        EpollNative.IsSupported ? threads : throw new PlatformNotSupportedException("The epoll socket model needs Linux.");

    private sealed class Receiver : IRelaySocketDriver
    {
        private const int MaxEvents = 256;
        private const int MaxBatchesPerWakeUp = 4;
        private readonly int _epoll;
        private readonly int _batch;
        private readonly bool _batchedSends;
        private readonly TimeProvider _time;
        private readonly Thread _thread;
        private readonly object _gate = new();
        private readonly Dictionary<RelaySocket, int> _slotOf = [];
        private readonly Stack<int> _freeSlots = new();
        private Registration?[] _slots = new Registration?[64];
        private int _slotCount;
        private long _pass; // odd while the loop handles a wake-up's events
        private volatile bool _disposed;

        public Receiver(int index, int batch, bool batchedSends, TimeProvider time)
        {
            _time = time;
            _epoll = EpollNative.Create(EpollNative.EpollCloexec);
            if (_epoll < 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed");
            }

            _batch = batch;
            _batchedSends = batchedSends;
            _thread = new Thread(Run) { IsBackground = true, Name = "rtp epoll " + index };
            _thread.Start();
        }

        /// <summary>
        /// Registers the socket and takes a reference on its handle that lasts until
        /// <see cref="Remove"/>: the loop then reads and sends by its descriptor, without a
        /// reference (an atomic pair on the handle, cache lines of two more objects) per call.
        /// </summary>
        public void Add(RelaySocket socket)
        {
            socket.Socket.Blocking = false;
            SafeSocketHandle handle = socket.Socket.SafeHandle;
            bool added = false;
            handle.DangerousAddRef(ref added); // throws if already closed: nothing registered
            try
            {
                lock (_gate)
                {
                    int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slotCount++;
                    if (slot >= _slots.Length)
                    {
                        // Published before use: the receiver thread reads _slots without the lock.
                        Registration?[] grown = new Registration?[_slots.Length * 2];
                        _slots.CopyTo(grown, 0);
                        Volatile.Write(ref _slots, grown);
                    }

                    int fd = (int)handle.DangerousGetHandle();
                    var registration = new Registration(socket, handle, fd, (_slots[slot]?.Generation ?? 0) + 1);
                    socket.Descriptor = fd;
                    socket.Holder = this;
                    try
                    {
                        Control(EpollNative.EpollCtlAdd, fd, ((ulong)registration.Generation << 32) | (uint)slot);
                    }
                    catch
                    {
                        socket.Holder = null;
                        _freeSlots.Push(slot);
                        throw;
                    }

                    Volatile.Write(ref _slots[slot], registration);
                    _slotOf[socket] = slot;
                    added = false; // the registration owns the reference now
                }
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>
        /// Unregisters the socket and lets go of the loop's reference, once the loop no longer
        /// uses its descriptor: closing the socket then closes the descriptor at once (a socket's
        /// Dispose waits for every reference), as without a loop. From another thread, that is
        /// when the wake-up being handled, if any, is over. From a handler on the loop's own
        /// thread, at once: the rest of that wake-up skips a removed registration, and sends to
        /// the socket (no longer <see cref="RelaySocket.Holder"/>) take a reference of their own.
        /// </summary>
        public void Remove(RelaySocket socket)
        {
            Registration removed;
            lock (_gate)
            {
                if (!_slotOf.Remove(socket, out int slot))
                {
                    return;
                }

                removed = _slots[slot]!;
                removed.Removed = true;
                socket.Holder = null;
                Control(EpollNative.EpollCtlDel, removed.Descriptor, 0);
                _freeSlots.Push(slot);
            }

            if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
            {
                AwaitPassEnd();
            }

            removed.Handle.DangerousRelease();
        }

        public void Dispose()
        {
            _disposed = true;
            _thread.Join();
            lock (_gate)
            {
                foreach (int slot in _slotOf.Values)
                {
                    Registration registration = _slots[slot]!;
                    registration.Socket.Holder = null;
                    registration.Handle.DangerousRelease();
                }

                _slotOf.Clear();
            }

            EpollNative.Close(_epoll);
        }

        /// <summary>
        /// Waits until a wake-up the loop may be handling is over. <see cref="Registration.Removed"/>
        /// is written before <see cref="_pass"/> is read, and the loop makes a pass odd before it
        /// reads a registration: either this sees the pass odd, or the loop sees the removal.
        /// </summary>
        private void AwaitPassEnd()
        {
            Interlocked.MemoryBarrier();
            long pass = Volatile.Read(ref _pass);
            if ((pass & 1) == 0)
            {
                return;
            }

            var spin = default(SpinWait);
            while (Volatile.Read(ref _pass) == pass)
            {
                spin.SpinOnce(); // a wake-up's work is short; yields, then sleeps, if not
            }
        }

        private unsafe void Control(int operation, int fd, ulong data)
        {
            byte* epollEvent = stackalloc byte[16];
            var span = new Span<byte>(epollEvent, 16);
            span.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(span, EpollNative.EpollIn);
            MemoryMarshal.Write(span.Slice(EpollNative.DataOffset), in data);
            if (EpollNative.Control(_epoll, operation, fd, epollEvent) != 0 && operation == EpollNative.EpollCtlAdd)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_ctl failed");
            }
        }

        private unsafe void Run()
        {
            byte[] scratch = GC.AllocateUninitializedArray<byte>(RelaySocket.ScratchLength, pinned: true);
            var receiver = new BatchReceiver(_batch);
            IRelaySender sender = _batchedSends ? new BatchSender(_batch, holder: this) : ImmediateSender.Instance;
            byte[] events = GC.AllocateUninitializedArray<byte>(MaxEvents * EpollNative.EventSize, pinned: true);
            fixed (byte* eventsPointer = events)
            {
                while (!_disposed)
                {
                    // Blocks until some socket is readable; bounded so that Dispose is noticed.
                    int ready = EpollNative.Wait(_epoll, eventsPointer, MaxEvents, 100);
                    if (ready > 0)
                    {
                        Interlocked.Increment(ref _pass);
                        try
                        {
                            HandleEvents(eventsPointer, ready, _time.GetTimestamp(), receiver, sender, scratch);
                        }
                        finally
                        {
                            Interlocked.Increment(ref _pass);
                        }
                    }
                }
            }
        }

        /// <summary>One wake-up's events, each socket drained in turn.</summary>
        private unsafe void HandleEvents(byte* events, int ready, long now, BatchReceiver receiver, IRelaySender sender, byte[] scratch)
        {
            Registration?[] slots = Volatile.Read(ref _slots);
            for (int i = 0; i < ready; i++)
            {
                ulong data = MemoryMarshal.Read<ulong>(new ReadOnlySpan<byte>(events + (i * EpollNative.EventSize) + EpollNative.DataOffset, 8));
                int slot = (int)(uint)data;
                Registration? registration = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                if (registration is null || registration.Generation != (uint)(data >> 32) || registration.Removed)
                {
                    continue;
                }

                Drain(registration, now, receiver, sender, scratch);
            }
        }

        /// <summary>
        /// Reads the socket's datagrams in batches, hands each to its handler and sends what they
        /// relayed once per batch; at most <see cref="MaxBatchesPerWakeUp"/> batches, so that one
        /// flooded socket cannot starve the others (epoll reports it again).
        /// </summary>
        private static void Drain(Registration registration, long now, BatchReceiver receiver, IRelaySender sender, byte[] scratch)
        {
            IDatagramHandler handler = registration.Handler;
            for (int batch = 0; batch < MaxBatchesPerWakeUp; batch++)
            {
                int received = receiver.Receive(registration.Descriptor);
                for (int i = 0; i < received && !registration.Removed; i++)
                {
                    if (receiver.Truncated(i))
                    {
                        handler.OnTruncated();
                        continue;
                    }

                    handler.OnDatagram(receiver.Datagram(i), receiver.Source(i), now, scratch, sender);
                }

                (sender as BatchSender)?.Flush();
                if (received < receiver.Capacity || registration.Removed)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// A socket as one loop knows it: what a wake-up needs in one object (its descriptor, kept
    /// open by the loop's reference on <see cref="Handle"/>, and its handler).
    /// </summary>
    private sealed class Registration(RelaySocket socket, SafeSocketHandle handle, int descriptor, uint generation)
    {
        public RelaySocket Socket { get; } = socket;

        public SafeSocketHandle Handle { get; } = handle;

        public IDatagramHandler Handler { get; } = socket.Handler;

        public int Descriptor { get; } = descriptor;

        public uint Generation { get; } = generation;

        public volatile bool Removed;
    }
}
