using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>
/// Hands out RTP/RTCP port pairs from a configured range: RTP on an even port, RTCP on the
/// odd port above (RFC 3550 §11). Pairs that cannot be bound (another process holds a port)
/// are skipped. Thread safe; the lock is taken on the signalling path only.
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly object _gate = new();
    private readonly bool[] _inUse;
    private readonly int _firstPort;
    private int _next;
    private int _allocated;

    /// <summary>Creates an allocator for the ports from <paramref name="minPort"/> to <paramref name="maxPort"/> inclusive.</summary>
    public RtpPortAllocator(int minPort, int maxPort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minPort, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPort, IPEndPoint.MaxPort);
        _firstPort = (minPort + 1) & ~1;
        int pairs = (maxPort - _firstPort + 1) / 2;
        if (pairs < 1)
        {
            throw new ArgumentException($"The range {minPort}-{maxPort} holds no even/odd port pair.", nameof(maxPort));
        }

        _inUse = new bool[pairs];
    }

    /// <summary>Number of pairs in the range.</summary>
    public int Capacity => _inUse.Length;

    /// <summary>Number of pairs handed out and not yet released.</summary>
    public int Allocated
    {
        get
        {
            lock (_gate)
            {
                return _allocated;
            }
        }
    }

    /// <summary>
    /// Binds a new pair on <paramref name="address"/>, trying each free pair once, in turn
    /// (round robin, so a just-released port is not reused at once and late packets of the
    /// previous call do not reach the next one).
    /// </summary>
    /// <exception cref="PortRangeExhaustedException">Every pair is in use or cannot be bound.</exception>
    public RtpSocketPair Allocate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        int skipped = 0;
        for (int attempt = 0; attempt < _inUse.Length; attempt++)
        {
            int index;
            lock (_gate)
            {
                index = _next;
                _next = (_next + 1) % _inUse.Length;
                if (_inUse[index])
                {
                    continue;
                }

                _inUse[index] = true;
                _allocated++;
            }

            int port = _firstPort + (index * 2);
            Socket? rtp = null;
            Socket? rtcp = null;
            try
            {
                rtp = Bind(address, port);
                rtcp = Bind(address, port + 1);
                return new RtpSocketPair(this, rtp, rtcp, port);
            }
            catch (SocketException)
            {
                rtp?.Dispose();
                rtcp?.Dispose();
                Release(port);
                skipped++;
            }
        }

        throw new PortRangeExhaustedException(
            $"No RTP port pair free in {_firstPort}-{_firstPort + (_inUse.Length * 2) - 1} on {address}: " +
            $"{Allocated} pairs in use, {skipped} could not be bound.");
    }

    internal void Release(int rtpPort)
    {
        int index = (rtpPort - _firstPort) / 2;
        lock (_gate)
        {
            if (_inUse[index])
            {
                _inUse[index] = false;
                _allocated--;
            }
        }
    }

    private static Socket Bind(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
