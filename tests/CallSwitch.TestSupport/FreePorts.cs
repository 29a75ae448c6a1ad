using System.Net;
using System.Net.Sockets;

namespace CallSwitch.TestSupport;

/// <summary>Free loopback ports for tests that start real peers.</summary>
public static class FreePorts
{
    // SIP and SIPp ports live in 20000-29999; relay tests use ranges above 30000 (CallHarness
    // 30000-34999, TestSwitch 40000-49999, Media tests 50000-64999), so the two never meet.
    private const int First = 20000;
    private const int Last = 29999;
    private static int _next = First + (Environment.ProcessId % 100) * 100;

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
            if (port > Last)
            {
                Interlocked.Exchange(ref _next, First);
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
            if (first + count > Last)
            {
                Interlocked.Exchange(ref _next, First);
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
