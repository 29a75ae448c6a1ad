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
    public EpollDriver(int threads, int batch, bool batchedSends)
        : base(RequireEpoll(threads), index => new Receiver(index, batch, batchedSends))
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
        private readonly Thread _thread;
        private readonly object _gate = new();
        private readonly Dictionary<RelaySocket, int> _slotOf = [];
        private readonly Stack<int> _freeSlots = new();
        private Registration[] _slots = new Registration[64];
        private int _slotCount;
        private volatile bool _disposed;

        public Receiver(int index, int batch, bool batchedSends)
        {
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

        public void Add(RelaySocket socket)
        {
            socket.Socket.Blocking = false;
            lock (_gate)
            {
                int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slotCount++;
                if (slot >= _slots.Length)
                {
                    // Published before use: the receiver thread reads _slots without the lock.
                    Registration[] grown = new Registration[_slots.Length * 2];
                    _slots.CopyTo(grown, 0);
                    Volatile.Write(ref _slots, grown);
                }

                Registration? previous = _slots[slot];
                var registration = new Registration(socket, (previous?.Generation ?? 0) + 1);
                Volatile.Write(ref _slots[slot], registration);
                _slotOf[socket] = slot;
                Control(EpollNative.EpollCtlAdd, socket, ((ulong)registration.Generation << 32) | (uint)slot);
            }
        }

        public void Remove(RelaySocket socket)
        {
            lock (_gate)
            {
                if (!_slotOf.Remove(socket, out int slot))
                {
                    return;
                }

                Control(EpollNative.EpollCtlDel, socket, 0);
                _freeSlots.Push(slot);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _thread.Join();
            EpollNative.Close(_epoll);
        }

        private unsafe void Control(int operation, RelaySocket socket, ulong data)
        {
            byte* epollEvent = stackalloc byte[16];
            var span = new Span<byte>(epollEvent, 16);
            span.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(span, EpollNative.EpollIn);
            MemoryMarshal.Write(span.Slice(EpollNative.DataOffset), in data);
            int fd = (int)socket.Socket.SafeHandle.DangerousGetHandle();
            if (EpollNative.Control(_epoll, operation, fd, epollEvent) != 0 && operation == EpollNative.EpollCtlAdd)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_ctl failed");
            }
        }

        private unsafe void Run()
        {
            byte[] scratch = GC.AllocateUninitializedArray<byte>(RelaySocket.ScratchLength, pinned: true);
            var receiver = new BatchReceiver(_batch);
            var sender = new BatchSender(_batch);
            byte[] events = GC.AllocateUninitializedArray<byte>(MaxEvents * EpollNative.EventSize, pinned: true);
            fixed (byte* eventsPointer = events)
            {
                while (!_disposed)
                {
                    // Blocks until some socket is readable; bounded so that Dispose is noticed.
                    int ready = EpollNative.Wait(_epoll, eventsPointer, MaxEvents, 100);
                    if (ready <= 0)
                    {
                        continue; // timeout, or EINTR
                    }

                    Registration?[] slots = Volatile.Read(ref _slots);
                    for (int i = 0; i < ready; i++)
                    {
                        ulong data = MemoryMarshal.Read<ulong>(events.AsSpan((i * EpollNative.EventSize) + EpollNative.DataOffset, 8));
                        int slot = (int)(uint)data;
                        Registration? registration = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                        if (registration is null || registration.Generation != (uint)(data >> 32) || registration.Socket.Stopped)
                        {
                            continue;
                        }

                        Drain(registration.Socket, receiver, _batchedSends ? sender : ImmediateSender.Instance, scratch);
                    }
                }
            }
        }

        /// <summary>
        /// Reads the socket's datagrams in batches, hands each to its handler and sends what they
        /// relayed once per batch; at most <see cref="MaxBatchesPerWakeUp"/> batches, so that one
        /// flooded socket cannot starve the others (epoll reports it again).
        /// </summary>
        private static void Drain(RelaySocket socket, BatchReceiver receiver, IRelaySender sender, byte[] scratch)
        {
            for (int batch = 0; batch < MaxBatchesPerWakeUp; batch++)
            {
                int received = receiver.Receive(socket.Socket);
                for (int i = 0; i < received && !socket.Stopped; i++)
                {
                    if (receiver.Truncated(i))
                    {
                        socket.Handler.OnTruncated();
                        continue;
                    }

                    socket.Handler.OnDatagram(receiver.Datagram(i), receiver.Source(i), scratch, sender);
                }

                (sender as BatchSender)?.Flush();
                if (received < receiver.Capacity)
                {
                    return;
                }
            }
        }
    }

    private sealed class Registration(RelaySocket socket, uint generation)
    {
        public RelaySocket Socket { get; } = socket;

        public uint Generation { get; } = generation;
    }
}
