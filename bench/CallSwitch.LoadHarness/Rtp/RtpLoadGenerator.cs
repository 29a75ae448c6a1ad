using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CallSwitch.Media.Codecs;

namespace CallSwitch.LoadHarness.Rtp;

/// <summary>
/// Both phones of N calls, as 2N UDP sockets: socket <c>i</c> is call i's agent, socket
/// <c>N + i</c> its prospect (the trunk's media); then one socket per supervisor (socket
/// <c>2N + j</c>, supervising call j). One thread sends a 172-byte PCMU packet on every socket
/// every 20 ms (spread evenly over the period), one thread receives on all of them through one
/// epoll instance.
/// </summary>
/// <remarks>
/// A socket sends nothing until it has received a packet: the switch's first packet (the
/// notice, which this harness's campaign plays to both sides) tells it the switch's port for
/// that leg, and it sends back to that source (symmetric RTP). The payload carries a magic
/// number, the sending socket's index, a sequence number and the <see cref="Stopwatch"/>
/// timestamp of the send, so the receiver can tell its own packets from the notice, check
/// every call's two sockets keep talking to each other only, and time them. A mixed stream (what a
/// supervisor hears; what an agent hears while whispered to) carries none of those fields: it is
/// counted by its RTP header (<see cref="MixedStreams"/>), and the packets the harness sends into
/// a mix are counted apart from the directions. Counters are owned by one thread each
/// (sent: the sender; received and latency: the receiver) and read after <see cref="Stop"/>.
/// </remarks>
internal sealed unsafe class RtpLoadGenerator : IDisposable
{
    public const int PacketBytes = 172;

    /// <summary>RTP payload type of comfort noise (RFC 3551 §6, RFC 3389).</summary>
    private const byte ComfortNoise = 13;
    private const uint Magic = 0x484C5343;
    private const int HeaderBytes = 12;
    private const int MaxEvents = 1024;

    private readonly int _calls;
    private readonly int _supervisors;
    private readonly bool _silent;
    private readonly int _mixedAgents;
    private readonly MixedStreams _mixed;
    private readonly Socket[] _sockets;
    private readonly int[] _fds;
    private readonly SockAddrIn[] _peers;
    private readonly int[] _latched;
    private readonly int[] _sequence;
    private readonly int[] _partner;
    private readonly int _epoll;
    private readonly long[] _sentInWindow = new long[2];
    private readonly long[] _receivedInWindow = new long[2];
    private readonly LatencyHistogram[] _latency = [new(), new()];
    private Thread? _sender;
    private Thread? _receiver;
    private volatile bool _stop;
    private volatile bool _sending = true;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private long _senderMaxGapTicks;
    private long _receiverMaxGapTicks;

    /// <param name="calls">Calls (two sockets each).</param>
    /// <param name="receiveBufferBytes">Each socket's receive buffer.</param>
    /// <param name="supervisors">Supervisors' sockets (the first <paramref name="supervisors"/> calls are supervised).</param>
    /// <param name="mixedAgents">How many of the first agents hear a mix rather than their prospect's packets (whisper).</param>
    /// <summary>Whether a socket follows its peer to a new source (calls replaced on the same socket: <c>--churn-seconds</c>); set before the threads start.</summary>
    public bool Relatch { get; init; }

    /// <param name="silent">Agents and prospects send comfort noise (payload type 13) rather than their tones.</param>
    public RtpLoadGenerator(int calls, int receiveBufferBytes, int supervisors = 0, int mixedAgents = 0, bool silent = false)
    {
        _calls = calls;
        _silent = silent;
        _supervisors = supervisors;
        _mixedAgents = mixedAgents;
        int n = (calls * 2) + supervisors;
        _mixed = new MixedStreams(n);
        _sockets = new Socket[n];
        _fds = new int[n];
        _peers = new SockAddrIn[n];
        _latched = new int[n];
        _sequence = new int[n];
        _partner = new int[n];
        Array.Fill(_partner, -1);
        _epoll = Native.epoll_create1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        byte* ev = stackalloc byte[16];
        for (int i = 0; i < n; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            {
                ReceiveBufferSize = receiveBufferBytes,
            };
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _sockets[i] = socket;
            _fds[i] = (int)socket.SafeHandle.DangerousGetHandle();
            new Span<byte>(ev, 16).Clear();
            *(uint*)ev = Native.EpollIn;
            *(ulong*)(ev + Native.EpollDataOffset) = (ulong)i;
            if (Native.epoll_ctl(_epoll, Native.EpollCtlAdd, _fds[i], ev) != 0)
            {
                throw new InvalidOperationException($"epoll_ctl failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    public int Calls => _calls;

    /// <summary>The mixed streams received in the window (supervisors', whispered agents').</summary>
    public MixedStreams Mixed => _mixed;

    /// <summary>Packets the supervisors' sockets sent in the window (into the mix, or dropped undecoded in listen mode).</summary>
    public long SupervisorSentInWindow { get; private set; }

    /// <summary>Packets the prospects of whispered-to agents sent in the window: they reach the agent only mixed.</summary>
    public long SentIntoMixInWindow { get; private set; }

    /// <summary>Supervisor <paramref name="supervisor"/>'s RTP port (its SDP offer).</summary>
    public int SupervisorPort(int supervisor) => ((IPEndPoint)_sockets[(2 * _calls) + supervisor].LocalEndPoint!).Port;

    /// <summary>Supervisors' sockets that have heard their mix (and so talk back).</summary>
    public int LatchedSupervisors
    {
        get
        {
            int count = 0;
            for (int i = 2 * _calls; i < _latched.Length; i++)
            {
                count += Volatile.Read(ref _latched[i]);
            }

            return count;
        }
    }

    /// <summary>The agent phone's RTP port of call <paramref name="call"/> (its SDP offer).</summary>
    public int AgentPort(int call) => ((IPEndPoint)_sockets[call].LocalEndPoint!).Port;

    /// <summary>The prospect's RTP port of call <paramref name="call"/> (the trunk's SDP answer).</summary>
    public int TrunkPort(int call) => ((IPEndPoint)_sockets[_calls + call].LocalEndPoint!).Port;

    /// <summary>Sockets that know where to send (have heard from the switch).</summary>
    public int LatchedSockets
    {
        get
        {
            int count = 0;
            for (int i = 0; i < _latched.Length; i++)
            {
                count += Volatile.Read(ref _latched[i]);
            }

            return count;
        }
    }

    /// <summary>Calls whose two sockets both know where to send.</summary>
    public int LatchedCalls
    {
        get
        {
            int count = 0;
            for (int i = 0; i < _calls; i++)
            {
                if (Volatile.Read(ref _latched[i]) == 1 && Volatile.Read(ref _latched[_calls + i]) == 1)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public long SentTotal { get; private set; }

    public long SendErrors { get; private set; }

    public long SendResyncs { get; private set; }

    /// <summary>Longest time the sender went without running while the window was open (the harness's own stalls).</summary>
    public double SenderMaxGapMs => _senderMaxGapTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Longest time between two epoll waits returning while the window was open.</summary>
    public double ReceiverMaxGapMs => _receiverMaxGapTicks * 1000.0 / Stopwatch.Frequency;

    public long ReceivedTotal { get; private set; }

    /// <summary>Packets that were not the harness's own (the switch's notice frames).</summary>
    public long ReceivedForeign { get; private set; }

    /// <summary>The first misrouted packet: which socket got whose (for the report).</summary>
    public string? FirstMisrouted { get; private set; }

    /// <summary>Harness packets that came out on another call's socket (must stay 0).</summary>
    public long ReceivedMisrouted { get; private set; }

    /// <summary>Baseline without a switch: each phone sends straight to its counterpart.</summary>
    public void LinkDirectly()
    {
        for (int i = 0; i < _sockets.Length; i++)
        {
            int peer = i < _calls ? i + _calls : i - _calls;
            _peers[i] = SockAddrIn.From((IPEndPoint)_sockets[peer].LocalEndPoint!);
            _partner[i] = peer;
            Volatile.Write(ref _latched[i], 1);
        }
    }

    public void Start()
    {
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "rtp-receive", Priority = ThreadPriority.AboveNormal };
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "rtp-send", Priority = ThreadPriority.AboveNormal };
        _receiver.Start();
        _sender.Start();
    }

    /// <summary>Packets sent from now on are counted (by their send time).</summary>
    public long OpenWindow()
    {
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _windowStart, now);
        return now;
    }

    /// <summary>Packets sent from now on are no longer counted; those in flight still are when they arrive.</summary>
    public long CloseWindow()
    {
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _windowEnd, now);
        return now;
    }

    public void StopSending() => _sending = false;

    public void Stop()
    {
        _stop = true;
        _sender?.Join();
        _receiver?.Join();
    }

    public DirectionStats Stats(Direction direction) =>
        new(direction, _sentInWindow[(int)direction], _receivedInWindow[(int)direction], _latency[(int)direction]);

    public void Dispose()
    {
        Stop();
        foreach (Socket socket in _sockets)
        {
            socket?.Dispose();
        }

        Native.close(_epoll);
    }

    /// <summary>An RTP header (version 2, PT 0) and 160 PCMU samples of a tone at -12 dBFS.</summary>
    private static void FillTone(Span<byte> packet, int hertz)
    {
        packet[0] = 0x80;
        packet[1] = 0;
        Span<short> pcm = stackalloc short[PacketBytes - HeaderBytes];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * hertz * i / 8000));
        }

        new G711Encoder(AudioCodecId.Pcmu).Encode(pcm, packet[HeaderBytes..]);
    }

    private void SendLoop()
    {
        int n = _sockets.Length;
        long period = Stopwatch.Frequency / 50;
        // Both parties talk all the time (the recorder's encoder at its busiest): a 400 Hz tone
        // from the agents, 1 kHz from the prospects, both whole periods in 20 ms so packets join
        // up; the harness's 20 bytes of fields open each payload as a short click.
        byte* agentPacket = stackalloc byte[PacketBytes];
        byte* prospectPacket = stackalloc byte[PacketBytes];
        byte* supervisorPacket = stackalloc byte[PacketBytes];
        FillTone(new Span<byte>(agentPacket, PacketBytes), 400);
        FillTone(new Span<byte>(prospectPacket, PacketBytes), 1000);
        FillTone(new Span<byte>(supervisorPacket, PacketBytes), 2500);
        if (_silent)
        {
            // RFC 3389 comfort noise: relayed like any packet, no audio for the recorder (silence).
            agentPacket[1] = ComfortNoise;
            prospectPacket[1] = ComfortNoise;
        }

        long t0 = Stopwatch.GetTimestamp();
        long cycle = 0;
        int k = 0;
        long lastRun = t0;
        while (!_stop)
        {
            long due = t0 + (cycle * period) + (k * period / n);
            long now = Stopwatch.GetTimestamp();
            if (now - lastRun > _senderMaxGapTicks && now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd))
            {
                _senderMaxGapTicks = now - lastRun;
            }

            lastRun = now;
            if (now < due)
            {
                // Sleep-paced (no spinning: the machine has two cores and the switch needs them):
                // whatever fell due during the sleep goes out in one burst, each packet stamped
                // with its own send time.
                Thread.Sleep(1);
                continue;
            }

            if (now - due > 10 * period)
            {
                // Descheduled for over 200 ms: start a fresh period rather than burst to catch up.
                SendResyncs++;
                t0 = now;
                cycle = 0;
                k = 0;
                continue;
            }

            if (_sending && Volatile.Read(ref _latched[k]) == 1)
            {
                byte* packet = k < _calls ? agentPacket : k < 2 * _calls ? prospectPacket : supervisorPacket;
                int seq = _sequence[k]++;
                BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(packet + 2, 2), (ushort)seq);
                BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(packet + 4, 4), (uint)seq * 160);
                BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(packet + 8, 4), 0x10000u + (uint)k);
                *(uint*)(packet + HeaderBytes) = Magic;
                *(int*)(packet + HeaderBytes + 4) = k;
                *(int*)(packet + HeaderBytes + 8) = seq;
                long sentAt = Stopwatch.GetTimestamp();
                *(long*)(packet + HeaderBytes + 12) = sentAt;
                SockAddrIn peer = _peers[k];
                nint sent = Native.sendto(_fds[k], packet, PacketBytes, 0, &peer, sizeof(SockAddrIn));
                if (sent == PacketBytes)
                {
                    SentTotal++;
                    if (sentAt >= Volatile.Read(ref _windowStart) && sentAt < Volatile.Read(ref _windowEnd))
                    {
                        if (k >= 2 * _calls)
                        {
                            SupervisorSentInWindow++;
                        }
                        else if (k >= _calls && (uint)Volatile.Read(ref _partner[k]) < (uint)_mixedAgents)
                        {
                            // Its agent is whispered to: these reach the agent mixed, counted there.
                            SentIntoMixInWindow++;
                        }
                        else
                        {
                            _sentInWindow[k < _calls ? 0 : 1]++;
                        }
                    }
                }
                else
                {
                    SendErrors++;
                }
            }

            if (++k == n)
            {
                k = 0;
                cycle++;
            }
        }
    }

    private void ReceiveLoop()
    {
        byte* events = stackalloc byte[MaxEvents * 16];
        byte* buffer = stackalloc byte[2048];
        long lastWake = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            int ready = Native.epoll_wait(_epoll, events, MaxEvents, 20);
            long wake = Stopwatch.GetTimestamp();
            if (wake - lastWake > _receiverMaxGapTicks && wake >= Volatile.Read(ref _windowStart) && wake < Volatile.Read(ref _windowEnd))
            {
                _receiverMaxGapTicks = wake - lastWake;
            }

            lastWake = wake;
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Native.Eintr)
                {
                    continue;
                }

                throw new InvalidOperationException($"epoll_wait failed: errno {errno}");
            }

            for (int e = 0; e < ready; e++)
            {
                int index = (int)*(ulong*)(events + (e * Native.EpollEventSize) + Native.EpollDataOffset);
                SockAddrIn from;
                int fromLength = sizeof(SockAddrIn);
                // One datagram per ready socket per wait: epoll is level-triggered, so a socket
                // with more queued comes back in the next wait without a wasted EAGAIN call.
                nint length = Native.recvfrom(_fds[index], buffer, 2048, Native.MsgDontWait, &from, &fromLength);
                if (length < 0)
                {
                    continue;
                }

                long now = Stopwatch.GetTimestamp();
                if (_latched[index] == 0)
                {
                    _peers[index] = from;
                    Volatile.Write(ref _latched[index], 1);
                }
                else if (Relatch && (from.PortNetworkOrder != _peers[index].PortNetworkOrder || from.AddressNetworkOrder != _peers[index].AddressNetworkOrder))
                {
                    // Churn: the socket's next call has a new relay port. The sender may read the
                    // peer while it changes; a packet to a torn address is one lost, as is every
                    // packet to the ended call's port.
                    _peers[index] = from;
                }

                if (length >= HeaderBytes && (index >= 2 * _calls || index < _mixedAgents))
                {
                    // A mixed stream, judged by its header alone: a tick that mixed one voice
                    // alone re-encodes its G.711 bytes unchanged, harness fields included.
                    _mixed.Add(index, BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(buffer + 2, 2)), BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(buffer + 4, 4)), now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd));
                    continue;
                }

                if (length < HeaderBytes + 20 || *(uint*)(buffer + HeaderBytes) != Magic)
                {
                    ReceivedForeign++;
                    continue;
                }

                int stream = *(int*)(buffer + HeaderBytes + 4);
                long sentAt = *(long*)(buffer + HeaderBytes + 12);
                // Which agent socket pairs with which trunk socket is up to the order in which
                // SIPp's trunk side took the calls: learn it from the first packet, then hold
                // every later one to it (a packet from another call, or from the same side, is
                // a switch bug).
                if (_partner[index] == -1 && (stream < _calls) != (index < _calls))
                {
                    _partner[index] = stream;
                }

                if (_partner[index] != stream)
                {
                    FirstMisrouted ??= $"socket {index} (partner {_partner[index]}) got stream {stream}'s packet {*(int*)(buffer + HeaderBytes + 8)}";
                    ReceivedMisrouted++;
                    continue;
                }

                ReceivedTotal++;
                if (sentAt >= Volatile.Read(ref _windowStart) && sentAt < Volatile.Read(ref _windowEnd))
                {
                    int direction = stream < _calls ? 0 : 1;
                    _receivedInWindow[direction]++;
                    _latency[direction].Add(now - sentAt);
                }
            }
        }
    }
}
