using System.Net;
using System.Net.Sockets;
using static CallSwitch.Media.Relay.DatagramNative;

namespace CallSwitch.Media.Relay;

/// <summary>
/// The send half of a receive loop (Linux): packets are copied into slots as the handlers relay
/// them, counted as sent, and <see cref="Flush"/> sends each run of packets for one socket with
/// one sendmmsg(2). A packet the socket refuses (full buffer, closed socket, unreachable peer)
/// is taken back from the sent counters and counted as a send error, and the rest of the run
/// goes on. Used by one thread; no allocation per packet. A socket its receive loop holds open
/// (<see cref="RelaySocket.Holder"/> is that loop) is sent on by its descriptor; any other through
/// a reference on its handle for the call.
/// </summary>
internal sealed unsafe class BatchSender : IRelaySender
{
    private readonly DatagramSlots _slots;
    private readonly RelaySocket?[] _sockets;
    private readonly LegCounterSet?[] _counters;
    private readonly bool[] _rtcp;
    private readonly object? _holder;
    private int _count;

    /// <param name="capacity">Packets queued before a flush.</param>
    /// <param name="holder">The receive loop this sender flushes for (<see cref="RelaySocket.Holder"/>), or null.</param>
    public BatchSender(int capacity, object? holder = null)
    {
        _holder = holder;
        _slots = new DatagramSlots(capacity, RelaySocket.MaxDatagramLength);
        _sockets = new RelaySocket?[capacity];
        _counters = new LegCounterSet?[capacity];
        _rtcp = new bool[capacity];
    }

    /// <summary>Packets queued and not yet flushed.</summary>
    public int Pending => _count;

    public bool Send(RelaySocket socket, ReadOnlySpan<byte> packet, SocketAddress destination, LegCounterSet counters, bool rtcp)
    {
        if (packet.Length > _slots.SlotLength || destination.Size > AddressCapacity)
        {
            // Larger than a slot (a transcoder's output can be): keep the order, send it alone.
            Flush();
            return ImmediateSender.Instance.Send(socket, packet, destination, counters, rtcp);
        }

        if (_count == _slots.Capacity)
        {
            Flush();
        }

        int index = _count++;
        packet.CopyTo(_slots.Data(index));
        _slots.SetLength(index, packet.Length);
        if (ReferenceEquals(socket.ConnectedTo, destination))
        {
            // Connected to it (a latched peer): no address, the kernel skips the route look-up.
            _slots.SetName(index, 0);
        }
        else
        {
            destination.Buffer.Span.Slice(0, destination.Size).CopyTo(_slots.Name(index));
            _slots.SetName(index, destination.Size);
        }

        _sockets[index] = socket;
        _counters[index] = counters;
        _rtcp[index] = rtcp;
        ImmediateSender.CountSent(counters, packet.Length, rtcp, 1);
        return true;
    }

    /// <summary>Sends what is queued: one sendmmsg per run of packets for the same socket.</summary>
    public void Flush()
    {
        int start = 0;
        while (start < _count)
        {
            RelaySocket socket = _sockets[start]!;
            int end = start + 1;
            while (end < _count && ReferenceEquals(_sockets[end], socket))
            {
                end++;
            }

            SendRun(socket, start, end);
            start = end;
        }

        Array.Clear(_sockets, 0, _count);
        Array.Clear(_counters, 0, _count);
        _count = 0;
    }

    private void SendRun(RelaySocket socket, int start, int end)
    {
        int next = start;
        if (_holder is not null && ReferenceEquals(socket.Holder, _holder))
        {
            // Our loop keeps the descriptor open until after this pass: no reference per run.
            next = SendAll(socket.Descriptor, start, end);
        }
        else
        {
            SafeSocketHandle handle = socket.Socket.SafeHandle;
            bool added = false;
            try
            {
                // Holds the descriptor open (and not reused) while the kernel reads it.
                handle.DangerousAddRef(ref added);
                next = SendAll((int)handle.DangerousGetHandle(), start, end);
            }
            catch (ObjectDisposedException)
            {
                // The socket was closed meanwhile (the call ended): none of the rest is sent.
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        while (next < end)
        {
            Refused(next++);
        }
    }

    /// <returns>The index after the last packet sent or refused: <paramref name="end"/>.</returns>
    private int SendAll(int fd, int start, int end)
    {
        int next = start;
        while (next < end)
        {
            int sent = SendMany(fd, _slots.Messages + next, (uint)(end - next), MsgDontWait);
            if (sent > 0)
            {
                next += sent;
            }
            else
            {
                // The first of the rest was refused; the ones after it may still go.
                Refused(next++);
            }
        }

        return next;
    }

    private void Refused(int index)
    {
        LegCounterSet counters = _counters[index]!;
        ImmediateSender.CountSent(counters, (int)_slots.Messages[index].Header.Vector->Length, _rtcp[index], -1);
        Interlocked.Increment(ref counters.SendErrors);
    }
}
