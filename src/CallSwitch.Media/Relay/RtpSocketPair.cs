using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>
/// Two bound UDP sockets: RTP on an even port and RTCP on the next odd port (RFC 3550 §11).
/// Owned by whoever allocated it; disposing closes both sockets and returns the ports to the
/// allocator.
/// </summary>
public sealed class RtpSocketPair : IDisposable
{
    private readonly RtpPortAllocator _owner;
    private int _disposed;

    internal RtpSocketPair(RtpPortAllocator owner, Socket rtp, Socket rtcp, int rtpPort)
    {
        _owner = owner;
        Rtp = rtp;
        Rtcp = rtcp;
        RtpPort = rtpPort;
    }

    /// <summary>The RTP socket (even port).</summary>
    public Socket Rtp { get; }

    /// <summary>The RTCP socket (RTP port + 1).</summary>
    public Socket Rtcp { get; }

    /// <summary>The even RTP port.</summary>
    public int RtpPort { get; }

    /// <summary>The RTCP port.</summary>
    public int RtcpPort => RtpPort + 1;

    /// <summary>The local RTP end point to put in SDP.</summary>
    public IPEndPoint LocalRtpEndPoint => (IPEndPoint)Rtp.LocalEndPoint!;

    /// <summary>Closes both sockets and frees the ports.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Rtp.Dispose();
        Rtcp.Dispose();
        _owner.Release(RtpPort);
    }
}
