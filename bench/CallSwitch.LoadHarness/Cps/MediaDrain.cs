using System.Net;
using System.Net.Sockets;

namespace CallSwitch.LoadHarness.Cps;

/// <summary>
/// CPS mode's one media socket: both SIPp sides put its port in their SDP, so the switch's
/// notice (both legs of every call) lands here and is read and dropped by a thread of its own,
/// rather than hitting a closed port (ICMP errors the switch would have to handle).
/// </summary>
internal sealed class MediaDrain : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private long _packets;
    private volatile bool _stopping;

    public MediaDrain()
    {
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveTimeout = 200;
        _thread = new Thread(Run) { IsBackground = true, Name = "media-drain" };
        _thread.Start();
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Packets received so far.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }

    private void Run()
    {
        byte[] buffer = new byte[2048];
        while (!_stopping)
        {
            try
            {
                _socket.Receive(buffer);
                Interlocked.Increment(ref _packets);
            }
            catch (SocketException)
            {
                // The receive timeout (to see _stopping), or an ICMP error reported on the socket.
            }
        }
    }
}
