using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CallSwitch.Media.Relay;

/// <summary>A socket registered with a driver, and who handles its datagrams.</summary>
internal sealed class RelaySocket(Socket socket, IDatagramHandler handler, string name)
{
    /// <summary>Largest datagram received; a longer one is truncated and dropped as malformed.</summary>
    public const int MaxDatagramLength = 2048;

    /// <summary>Size of the per-loop scratch buffer a transcoder writes into.</summary>
    public const int ScratchLength = 4096;

    private const ushort AfUnspec = 0;

    private static int _nextAffinity = -1;
    private volatile SocketAddress? _connectedTo;

    public Socket Socket { get; } = socket;

    public IDatagramHandler Handler { get; } = handler;

    public string Name { get; } = name;

    /// <summary>
    /// The sockets of one call share an affinity (<see cref="NextAffinity"/>), and a pool of
    /// receivers serves them all on one thread; -1: none (placed by port).
    /// </summary>
    public int Affinity { get; init; } = -1;

    /// <summary>
    /// The address the socket is connected to (the latched peer's, the very instance the latch
    /// holds), or null: a send to this instance needs no address.
    /// </summary>
    public SocketAddress? ConnectedTo => _connectedTo;

    /// <summary>A new affinity for the sockets of one call: consecutive calls get consecutive values.</summary>
    public static int NextAffinity() => Interlocked.Increment(ref _nextAffinity) & int.MaxValue;

    /// <summary>Set by the owner before closing the socket so that the loop exits quietly.</summary>
    public volatile bool Stopped;

    /// <summary>
    /// The receive loop that holds this socket's descriptor open while it is registered with it
    /// (null: none), and may therefore use <see cref="Descriptor"/> without a reference per call.
    /// Published after <see cref="Descriptor"/>.
    /// </summary>
    internal volatile object? Holder;

    /// <summary>The descriptor, valid for the thread of <see cref="Holder"/> while it is set.</summary>
    internal int Descriptor = -1;

    /// <summary>
    /// connect(2) to <paramref name="peer"/>: the kernel then delivers only the peer's datagrams
    /// to this socket and sends to it without a route look-up per packet.
    /// </summary>
    /// <returns>False when the socket is closed or refused.</returns>
    public bool Connect(SocketAddress peer)
    {
        Span<byte> address = stackalloc byte[DatagramNative.AddressCapacity];
        int length = Math.Min(peer.Size, address.Length);
        peer.Buffer.Span.Slice(0, length).CopyTo(address);
        if (!CallConnect(address.Slice(0, length)))
        {
            return false;
        }

        _connectedTo = peer;
        return true;
    }

    /// <summary>Dissolves the connection (AF_UNSPEC): the socket receives from anyone again.</summary>
    public void Disconnect()
    {
        // Forget it first: a concurrent send then passes the address, valid either way.
        _connectedTo = null;
        Span<byte> unspecified = stackalloc byte[16];
        unspecified.Clear();
        ushort family = AfUnspec;
        MemoryMarshal.Write(unspecified, in family);
        CallConnect(unspecified);
    }

    private unsafe bool CallConnect(ReadOnlySpan<byte> address)
    {
        SafeSocketHandle handle = Socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* pointer = address)
            {
                return DatagramNative.Connect((int)handle.DangerousGetHandle(), pointer, (uint)address.Length) == 0;
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
