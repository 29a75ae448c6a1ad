using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CallSwitch.Media.Relay;

/// <summary>
/// Where one socket of a leg sends, and whom it accepts packets from (symmetric RTP, RFC 4961;
/// latching, RFC 7362 §4). One instance per route snapshot, so a re-INVITE that changes the
/// remote starts a fresh latch. <see cref="Accept"/> is called only by the receive loop of the
/// socket; <see cref="Destination"/> is read by any thread.
/// </summary>
internal sealed class LatchState
{
    private const int Ipv4Size = 16; // sizeof(struct sockaddr_in)

    private readonly SocketAddress? _expected;
    private readonly LatchPolicy _policy;
    private readonly long _anyDeadline;
    private SocketAddress? _latched;

    // The latched source as the receive loop compares it: its size, and for IPv4 its 16 bytes
    // as two words, so that a packet from it is recognised without reaching the latched
    // address's object and array (two more objects per packet, each a likely cache miss at
    // hundreds of calls). The loop's own: written before _latched is published.
    private int _latchedSize;
    private ulong _latchedLow;
    private ulong _latchedHigh;

    public LatchState(IPEndPoint? expected, LatchPolicy policy, long anyDeadline)
    {
        _expected = expected?.Serialize();
        _policy = policy;
        _anyDeadline = anyDeadline;
    }

    /// <summary>The latched source, else the SDP address, else null (nowhere to send yet).</summary>
    public SocketAddress? Destination => Volatile.Read(ref _latched) ?? _expected;

    public bool IsLatched => Volatile.Read(ref _latched) is not null;

    /// <summary>
    /// True when a packet from <paramref name="source"/> is to be relayed; the first acceptable
    /// source is latched (one allocation per latch, none per packet).
    /// </summary>
    public bool Accept(SocketAddress source, long now)
    {
        if (_latchedSize != 0)
        {
            return IsLatchedSource(source);
        }

        bool acceptable = (_expected is not null && SameHost(_expected, source))
            || (_policy == LatchPolicy.AnySourceWithinWindow && now <= _anyDeadline);
        if (!acceptable)
        {
            return false;
        }

        var copy = new SocketAddress(source.Family, source.Size);
        ReadOnlySpan<byte> bytes = source.Buffer.Span.Slice(0, source.Size);
        bytes.CopyTo(copy.Buffer.Span);
        if (bytes.Length == Ipv4Size)
        {
            _latchedLow = MemoryMarshal.Read<ulong>(bytes);
            _latchedHigh = MemoryMarshal.Read<ulong>(bytes.Slice(8));
        }

        _latchedSize = bytes.Length;
        Volatile.Write(ref _latched, copy);
        return true;
    }

    private bool IsLatchedSource(SocketAddress source)
    {
        int size = source.Size;
        if (size != _latchedSize)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = source.Buffer.Span.Slice(0, size);
        return size == Ipv4Size
            ? MemoryMarshal.Read<ulong>(bytes) == _latchedLow && MemoryMarshal.Read<ulong>(bytes.Slice(8)) == _latchedHigh
            : bytes.SequenceEqual(_latched!.Buffer.Span.Slice(0, size));
    }

    // Compares the IP only: behind a NAT the port differs from the SDP. The sockaddr layout
    // puts the port at octets 2-3 for both families; the IPv4 address at 4-7 and the IPv6
    // address at 8-23.
    private static bool SameHost(SocketAddress expected, SocketAddress source)
    {
        if (expected.Family != source.Family)
        {
            return false;
        }

        ReadOnlySpan<byte> a = expected.Buffer.Span;
        ReadOnlySpan<byte> b = source.Buffer.Span;
        return expected.Family == AddressFamily.InterNetwork
            ? a.Slice(4, 4).SequenceEqual(b.Slice(4, 4))
            : a.Slice(8, 16).SequenceEqual(b.Slice(8, 16));
    }
}
