using System.Buffers.Binary;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CallSwitch.Media.Relay;

/// <summary>
/// A fixed pool of receiver threads, each with its own epoll instance over many sockets
/// (Linux). A thread waits until some socket is readable, reads one datagram from each
/// readable socket, and then, when the batch was small, sleeps <c>batchInterval</c> so that
/// the next wait returns many ready sockets at once. Unlike <c>Socket.Select</c>, the cost of
/// a wait does not grow with the number of sockets, only with the ready ones.
/// </summary>
/// <remarks>
/// Each registration carries a slot and a generation in epoll's user data, so an event still
/// in a batch for a socket removed meanwhile is recognised and ignored. Sockets are switched
/// to non-blocking so that a stale event can never block the thread.
/// </remarks>
internal sealed class EpollDriver : ReceiverPoolDriver
{
    public EpollDriver(int threads, TimeSpan batchInterval)
        : base(RequireEpoll(threads), index => new Receiver(index, batchInterval))
    {
    }

    private static int RequireEpoll(int threads) =>
        EpollNative.IsSupported ? threads : throw new PlatformNotSupportedException("The epoll socket model needs Linux.");

    private sealed class Receiver : IRelaySocketDriver
    {
        private const int MaxEvents = 256;
        private readonly int _epoll;
        private readonly int _batchMilliseconds;
        private readonly Thread _thread;
        private readonly object _gate = new();
        private readonly Dictionary<RelaySocket, int> _slotOf = [];
        private readonly Stack<int> _freeSlots = new();
        private Registration[] _slots = new Registration[64];
        private int _slotCount;
        private volatile bool _disposed;

        public Receiver(int index, TimeSpan batchInterval)
        {
            _epoll = EpollNative.Create(EpollNative.EpollCloexec);
            if (_epoll < 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed");
            }

            _batchMilliseconds = (int)Math.Max(0, batchInterval.TotalMilliseconds);
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
            byte[] buffer = GC.AllocateUninitializedArray<byte>(RelaySocket.MaxDatagramLength, pinned: true);
            byte[] scratch = GC.AllocateUninitializedArray<byte>(RelaySocket.ScratchLength, pinned: true);
            var ipv4Source = new SocketAddress(AddressFamily.InterNetwork);
            var ipv6Source = new SocketAddress(AddressFamily.InterNetworkV6);
            byte[] events = GC.AllocateUninitializedArray<byte>(MaxEvents * EpollNative.EventSize, pinned: true);
            fixed (byte* eventsPointer = events)
            {
                while (!_disposed)
                {
                    // A bounded wait so that Dispose is noticed.
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

                        RelaySocket relaySocket = registration.Socket;
                        SocketAddress source = relaySocket.Socket.AddressFamily == AddressFamily.InterNetworkV6 ? ipv6Source : ipv4Source;
                        int length;
                        try
                        {
                            length = relaySocket.Socket.ReceiveFrom(buffer, SocketFlags.None, source);
                        }
                        catch (Exception e) when (e is ObjectDisposedException or SocketException)
                        {
                            continue; // closed meanwhile, or a spurious wake-up (would block)
                        }

                        relaySocket.Handler.OnDatagram(buffer.AsSpan(0, length), source, scratch);
                    }

                    // Few ready sockets: wait a little so that the next batch is larger. At 50
                    // packets per second per socket this divides the wake-ups, and their cost,
                    // by the number of packets that arrive meanwhile.
                    if (ready < MaxEvents / 2 && _batchMilliseconds > 0)
                    {
                        Thread.Sleep(_batchMilliseconds);
                    }
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
