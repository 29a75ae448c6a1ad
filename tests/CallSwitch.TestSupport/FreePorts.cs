using System.Net;
using System.Net.Sockets;

namespace CallSwitch.TestSupport;

/// <summary>Free loopback ports for tests that start real peers.</summary>
public static class FreePorts
{
    private static int _next = 20000 + (Environment.ProcessId % 200) * 100;

    /// <summary>
    /// A port free for both UDP and TCP on <paramref name="address"/> right now. Ports are
    /// handed out from a per-process range and probed, so parallel tests do not collide.
    /// </summary>
    public static int Next(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            int port = Interlocked.Increment(ref _next);
            if (port > 60000)
            {
                Interlocked.Exchange(ref _next, 20000);
                continue;
            }

            if (IsFree(address, port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port found.");
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive ports free for UDP and TCP right now
    /// (SIPp's media port: it binds audio and video RTP and RTCP from that base).
    /// </summary>
    public static int NextBlock(int count, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            int first = Interlocked.Add(ref _next, count) - count + 1;
            if (first + count > 60000)
            {
                Interlocked.Exchange(ref _next, 20000);
                continue;
            }

            bool free = true;
            for (int port = first; port < first + count && free; port++)
            {
                free = IsFree(address, port);
            }

            if (free)
            {
                return first;
            }
        }

        throw new InvalidOperationException("No free block of loopback ports found.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, port));
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
