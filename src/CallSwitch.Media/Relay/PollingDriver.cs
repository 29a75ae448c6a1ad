using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>
/// A fixed pool of receiver threads, each owning many sockets. A round asks the kernel which
/// of its sockets are readable (<c>Socket.Select</c> with a zero timeout, in groups
/// small enough that .NET polls them from stack memory rather than a new array per call),
/// reads one datagram from each readable socket, then sleeps <c>pollInterval</c> when the
/// round found little to do. The sleep is what makes the model cheap: at 50 packets per
/// second per socket, one round serves many sockets, so the cost of the wake-up and of the
/// poll is shared. It adds at most the interval to the latency.
/// </summary>
internal sealed class PollingDriver : ReceiverPoolDriver
{
    // Socket.Select polls from stackalloc'd memory below 80 sockets on Unix; above, it allocates.
    private const int GroupSize = 64;

    /// <param name="threads">Receive threads.</param>
    /// <param name="pollInterval">The sleep after a round that found little to read.</param>
    /// <param name="time">Whose timestamps the handlers get (default: the system's).</param>
    public PollingDriver(int threads, TimeSpan pollInterval, TimeProvider? time = null)
        : base(threads, index => new Receiver(index, pollInterval, time ?? TimeProvider.System))
    {
    }

    private sealed class Receiver : IRelaySocketDriver
    {
        private readonly TimeSpan _pollInterval;
        private readonly TimeProvider _time;
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _hasSockets = new(false);
        private RelaySocket[] _sockets = [];
        private volatile bool _disposed;

        public Receiver(int index, TimeSpan pollInterval, TimeProvider time)
        {
            _pollInterval = pollInterval;
            _time = time;
            _thread = new Thread(Run) { IsBackground = true, Name = "rtp poll " + index };
            _thread.Start();
        }

        // Signalling replaces the array; the receiver thread reads a snapshot per round.
        public void Add(RelaySocket socket)
        {
            Volatile.Write(ref _sockets, [.. _sockets, socket]);
            _hasSockets.Set();
        }

        public void Remove(RelaySocket socket)
        {
            RelaySocket[] current = _sockets;
            int index = Array.IndexOf(current, socket);
            if (index >= 0)
            {
                Volatile.Write(ref _sockets, [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)]);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _hasSockets.Set();
            _thread.Join();
            _hasSockets.Dispose();
        }

        private void Run()
        {
            // One byte more than the largest datagram: a datagram that fills it was truncated.
            byte[] buffer = GC.AllocateUninitializedArray<byte>(RelaySocket.MaxDatagramLength + 1, pinned: true);
            byte[] scratch = GC.AllocateUninitializedArray<byte>(RelaySocket.ScratchLength, pinned: true);
            var ipv4Source = new SocketAddress(AddressFamily.InterNetwork);
            var ipv6Source = new SocketAddress(AddressFamily.InterNetworkV6);
            var group = new List<Socket>(GroupSize);
            var owners = new RelaySocket[GroupSize];

            while (!_disposed)
            {
                RelaySocket[] sockets = Volatile.Read(ref _sockets);
                if (sockets.Length == 0)
                {
                    _hasSockets.Wait(100);
                    _hasSockets.Reset();
                    continue;
                }

                int received = 0;
                for (int start = 0; start < sockets.Length; start += GroupSize)
                {
                    int count = Math.Min(GroupSize, sockets.Length - start);
                    group.Clear();
                    for (int i = 0; i < count; i++)
                    {
                        owners[i] = sockets[start + i];
                        group.Add(sockets[start + i].Socket);
                    }

                    try
                    {
                        // Select leaves in the list only the readable sockets, in their order.
                        Socket.Select(group, null, null, 0);
                    }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException)
                    {
                        continue; // A socket was closed under us; the next round has a fresh snapshot.
                    }

                    int owner = 0;
                    long now = _time.GetTimestamp();
                    foreach (Socket ready in group)
                    {
                        while (owners[owner].Socket != ready)
                        {
                            owner++;
                        }

                        RelaySocket relaySocket = owners[owner];
                        SocketAddress source = ready.AddressFamily == AddressFamily.InterNetworkV6 ? ipv6Source : ipv4Source;
                        if (ReceiveOne(relaySocket, buffer, scratch, source, now))
                        {
                            received++;
                        }
                    }
                }

                Array.Clear(owners);
                if (received < sockets.Length / 4 || received == 0)
                {
                    Thread.Sleep(_pollInterval);
                }
            }
        }

        private static bool ReceiveOne(RelaySocket relaySocket, byte[] buffer, byte[] scratch, SocketAddress source, long receivedAt)
        {
            if (relaySocket.Stopped)
            {
                return false;
            }

            int length;
            try
            {
                length = relaySocket.Socket.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                relaySocket.Handler.OnTruncated();
                return true;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return false;
            }

            if (length > RelaySocket.MaxDatagramLength)
            {
                relaySocket.Handler.OnTruncated();
                return true;
            }

            relaySocket.Handler.OnDatagram(buffer.AsSpan(0, length), source, receivedAt, scratch, ImmediateSender.Instance);
            return true;
        }
    }
}
