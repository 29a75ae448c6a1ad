using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>
/// Port ranges for relay tests, one per test, so tests running side by side (and the other
/// test assemblies running at the same time) do not collide. Tests that count on exact ports
/// get a range whose first ports are free right now.
/// </summary>
internal static class TestPortRanges
{
    private const int Size = 100;
    private const int Probed = 8;
    private static int _next = 50000 + ((Environment.ProcessId % 30) * 300);

    public static (int Min, int Max) Next()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int start = Interlocked.Add(ref _next, Size) - Size;
            if (start + Size > 64999)
            {
                Interlocked.Exchange(ref _next, 50000);
                continue;
            }

            if (FirstPortsAreFree(start))
            {
                return (start, start + Size - 1);
            }
        }

        throw new InvalidOperationException("No free port range for a relay test.");
    }

    private static bool FirstPortsAreFree(int start)
    {
        var sockets = new List<Socket>();
        try
        {
            for (int port = start; port < start + Probed; port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }
}
