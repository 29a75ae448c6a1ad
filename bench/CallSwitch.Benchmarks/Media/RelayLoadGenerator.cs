using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Benchmarks.Media;

/// <summary>
/// Plays the peers of many relayed calls on loopback: one "agent" socket and one "trunk"
/// socket stand for all the phones of each side (every leg latches onto the same address,
/// which the relay does not mind), each sending a 20 ms PCMU packet per leg, 50 per second per
/// direction, paced evenly over time; two threads drain what the relay sends back.
/// </summary>
internal sealed class RelayLoadGenerator : IDisposable
{
    private const int PacketsPerSecond = 50;
    private readonly Socket _agent;
    private readonly Socket _trunk;
    private readonly Thread _agentDrain;
    private readonly Thread _trunkDrain;
    private long _received;
    private volatile bool _stopped;

    public RelayLoadGenerator()
    {
        _agent = Open();
        _trunk = Open();
        _agentDrain = StartDrain(_agent);
        _trunkDrain = StartDrain(_trunk);
    }

    public IPEndPoint AgentEndPoint => (IPEndPoint)_agent.LocalEndPoint!;

    public IPEndPoint TrunkEndPoint => (IPEndPoint)_trunk.LocalEndPoint!;

    /// <summary>Datagrams the two peer sockets received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>
    /// Sends for <paramref name="duration"/>: from the agent socket to each of
    /// <paramref name="agentTargets"/> and from the trunk socket to each of
    /// <paramref name="trunkTargets"/>, 50 packets per second per target. Returns the number sent.
    /// </summary>
    public long Run(IPEndPoint[] agentTargets, IPEndPoint[] trunkTargets, TimeSpan duration)
    {
        SocketAddress[] agentTo = Array.ConvertAll(agentTargets, e => e.Serialize());
        SocketAddress[] trunkTo = Array.ConvertAll(trunkTargets, e => e.Serialize());
        int targets = agentTo.Length + trunkTo.Length;
        byte[] packet = new byte[RtpPacket.FixedHeaderLength + 160];
        var ssrc = new uint[targets];
        for (int i = 0; i < targets; i++)
        {
            ssrc[i] = (uint)(0x10000 + i);
        }

        double perSecond = (double)targets * PacketsPerSecond;
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            long due = (long)(clock.Elapsed.TotalSeconds * perSecond);
            while (sent < due)
            {
                int target = (int)(sent % targets);
                long round = sent / targets;
                RtpPacket.WriteHeader(packet, 0, false, (ushort)round, (uint)(round * 160), ssrc[target]);
                if (target < agentTo.Length)
                {
                    _agent.SendTo(packet, SocketFlags.None, agentTo[target]);
                }
                else
                {
                    _trunk.SendTo(packet, SocketFlags.None, trunkTo[target - agentTo.Length]);
                }

                sent++;
            }

            Thread.Sleep(1);
        }

        return sent;
    }

    public void Dispose()
    {
        _stopped = true;
        _agent.Dispose();
        _trunk.Dispose();
        _agentDrain.Join();
        _trunkDrain.Join();
    }

    private static Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 4 * 1024 * 1024,
            SendBufferSize = 4 * 1024 * 1024,
        };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private Thread StartDrain(Socket socket)
    {
        var thread = new Thread(() =>
        {
            byte[] buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!_stopped)
            {
                try
                {
                    socket.ReceiveFrom(buffer, SocketFlags.None, from);
                    Interlocked.Increment(ref _received);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        })
        {
            IsBackground = true,
        };
        thread.Start();
        return thread;
    }
}
