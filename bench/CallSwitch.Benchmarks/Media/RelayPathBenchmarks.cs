using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Benchmarks.Media;

/// <summary>
/// The per-packet work of the relay, without the receive: what a receive loop does with each
/// datagram (parse view, latch check, counters, sink fan-out to a recorder ring and a second
/// sink, stream rewrite, send). Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class RelayPathBenchmarks
{
    private readonly byte[] _template = new byte[RtpPacket.FixedHeaderLength + 160];
    private readonly byte[] _buffer = new byte[2048];
    private readonly byte[] _scratch = new byte[4096];
    private readonly byte[] _drain = new byte[1500];
    private readonly RtcpTemplate _rtcp = new();
    private MediaRelay _relay = null!;
    private RelaySession _session = null!;
    private RelaySession _paused = null!;
    private Socket _peer = null!;
    private SocketAddress _peerAddress = null!;
    private BoundedCopySink _recorder = null!;
    private RtpStreamRewriter _rewriter = null!;
    private readonly BatchSender _batch = new(32);
    private ushort _sequence;

    [GlobalSetup]
    public void Setup()
    {
        RtpPacket.WriteHeader(_template, 0, false, 0, 0, 0x1234);
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerEndPoint = (IPEndPoint)_peer.LocalEndPoint!;
        _peerAddress = peerEndPoint.Serialize();

        _relay = new MediaRelay(new MediaRelayOptions { MinPort = 41000, MaxPort = 41999, BindAddress = IPAddress.Loopback, ReceiverThreads = 1 });
        _session = NewSession(peerEndPoint);
        _recorder = new BoundedCopySink(64);
        _session.AddSink(RelayLegId.A, _recorder);
        _session.AddSink(RelayLegId.B, new BoundedCopySink(64));
        _paused = NewSession(peerEndPoint);
        _paused.SetForwarding(RelayLegId.A, false);
        _rewriter = new RtpStreamRewriter(0xABCD, 0, 0, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _paused.Dispose();
        _relay.Dispose();
        _peer.Dispose();
    }

    /// <summary>Parse and rewrite one packet in place (the continuity rewrite alone).</summary>
    [Benchmark]
    public ushort RtpRewrite()
    {
        Span<byte> packet = _buffer.AsSpan(0, _template.Length);
        _template.CopyTo(packet);
        RtpPacket.TryParse(packet, out RtpPacket view);
        view.SequenceNumber = _sequence++;
        _rewriter.Rewrite(view, 1, 8000);
        view.PayloadType = 8;
        return view.SequenceNumber;
    }

    /// <summary>The whole relay path of one RTP packet, sent to a loopback socket with sendto.</summary>
    [Benchmark]
    public void RelayPacketToSocket()
    {
        Span<byte> packet = Prepare();
        _session.OnRtp(_session.LegA, packet, _peerAddress, _scratch, ImmediateSender.Instance);
        _recorder.TryRead(_drain, out _, out _);
    }

    /// <summary>
    /// The same path as the epoll model runs it: queued on the receive loop's batch and sent with
    /// sendmmsg (a batch of one here: the per-packet cost of the batch's bookkeeping and copy).
    /// </summary>
    [Benchmark]
    public void RelayPacketBatched()
    {
        Span<byte> packet = Prepare();
        _session.OnRtp(_session.LegA, packet, _peerAddress, _scratch, _batch);
        _batch.Flush();
        _recorder.TryRead(_drain, out _, out _);
    }

    /// <summary>The relay path up to the send, with the direction paused: everything but the syscall.</summary>
    [Benchmark]
    public void RelayPacketPaused()
    {
        Span<byte> packet = Prepare();
        _paused.OnRtp(_paused.LegA, packet, _peerAddress, _scratch, ImmediateSender.Instance);
    }

    /// <summary>Validate a compound SR+SDES and rewrite its SSRCs and SR timestamp.</summary>
    [Benchmark]
    public uint RtcpRewrite()
    {
        Span<byte> data = _rtcp.Fresh();
        if (!RtcpPacket.IsValidCompound(data))
        {
            return 0;
        }

        int offset = 0;
        uint last = 0;
        while (RtcpPacket.TryReadNext(data, ref offset, out RtcpPacket packet))
        {
            packet.RewriteSsrcs(0xAAAA, 0xBBBB);
            last = packet.SenderSsrc;
        }

        return last;
    }

    private Span<byte> Prepare()
    {
        Span<byte> packet = _buffer.AsSpan(0, _template.Length);
        _template.CopyTo(packet);
        RtpPacket.TryParse(packet, out RtpPacket view);
        view.SequenceNumber = _sequence++;
        view.Timestamp = (uint)(_sequence * 160);
        return packet;
    }

    private RelaySession NewSession(IPEndPoint peer)
    {
        RelaySession session = _relay.CreateSession();
        session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = peer });
        session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = peer });
        return session;
    }

    private sealed class RtcpTemplate
    {
        private readonly byte[] _template;
        private readonly byte[] _work;

        public RtcpTemplate()
        {
            // SR with one report block, then SDES with a CNAME.
            _template = new byte[52 + 16];
            _template[0] = 0x81;
            _template[1] = 200;
            _template[3] = 12;
            _template[52] = 0x81;
            _template[53] = 202;
            _template[55] = 3;
            _template[60] = 1;
            _template[61] = 2;
            _work = new byte[_template.Length];
        }

        public Span<byte> Fresh()
        {
            _template.CopyTo(_work, 0);
            return _work;
        }
    }
}
