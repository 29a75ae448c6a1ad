using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static CallSwitch.Media.Relay.DatagramNative;

namespace CallSwitch.Media.Relay;

/// <summary>
/// The receive half of a receive loop (Linux): reads up to <see cref="Capacity"/> datagrams of
/// one socket with one recvmmsg(2), without waiting, into slots reused for the next call. Used
/// by one thread; no allocation per datagram.
/// </summary>
internal sealed unsafe class BatchReceiver
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;

    private readonly DatagramSlots _slots;
    private readonly MultiMessageHeader* _messages; // _slots.Messages, one load nearer
    private readonly SocketAddress _ipv4Source = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _ipv6Source = new(AddressFamily.InterNetworkV6);
    private int _filled;

    public BatchReceiver(int capacity)
    {
        _slots = new DatagramSlots(capacity, RelaySocket.MaxDatagramLength);
        _messages = _slots.Messages;
    }

    public int Capacity => _slots.Capacity;

    /// <summary>
    /// Reads what <paramref name="socket"/> holds, up to <see cref="Capacity"/> datagrams.
    /// </summary>
    /// <returns>How many were read: 0 when none was waiting (EAGAIN), the socket is closed or
    /// the call failed (an ICMP error reported on a connected socket: the next call reads on).</returns>
    public int Receive(Socket socket)
    {
        SafeSocketHandle handle = socket.SafeHandle;
        bool added = false;
        try
        {
            // Holds the descriptor open (and not reused by another socket) during the call.
            handle.DangerousAddRef(ref added);
            return Receive((int)handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            // _filled stays: the next call still resets the slots the last one filled.
            return 0;
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
    /// Reads what descriptor <paramref name="fd"/> holds, up to <see cref="Capacity"/> datagrams;
    /// the caller keeps it open (and not reused) during the call.
    /// </summary>
    /// <returns>As <see cref="Receive(Socket)"/>.</returns>
    public int Receive(int fd)
    {
        // The kernel wrote the address lengths and flags of the slots it filled last time only.
        for (int i = 0; i < _filled; i++)
        {
            _messages[i].Header.NameLength = AddressCapacity;
            _messages[i].Header.Flags = 0;
        }

        _filled = Math.Max(0, ReceiveMany(fd, _messages, (uint)_slots.Capacity, MsgDontWait, null));
        return _filled;
    }

    /// <summary>Whether datagram <paramref name="index"/> was longer than a slot (its tail is lost).</summary>
    public bool Truncated(int index) => (_messages[index].Header.Flags & MsgTrunc) != 0;

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="Receive(int)"/>; valid until the next.</summary>
    public Span<byte> Datagram(int index) => _slots.Data(index).Slice(0, (int)_messages[index].Length);

    /// <summary>
    /// The source of datagram <paramref name="index"/>, in one of two addresses reused for every
    /// datagram (one per family): valid until the next call.
    /// </summary>
    public SocketAddress Source(int index)
    {
        ReadOnlySpan<byte> name = _slots.Name(index).Slice(0, (int)Math.Min(_messages[index].Header.NameLength, AddressCapacity));
        int family = name.Length >= 2 ? MemoryMarshal.Read<ushort>(name) : 0; // sa_family, host order
        SocketAddress source = family == AfInet6 ? _ipv6Source : _ipv4Source;
        Span<byte> buffer = source.Buffer.Span;
        buffer.Clear();
        name.Slice(0, Math.Min(name.Length, buffer.Length)).CopyTo(buffer);
        if (family != AfInet && family != AfInet6)
        {
            // No address (not a datagram from the network): a family nobody latches onto.
            buffer.Clear();
        }

        return source;
    }
}
