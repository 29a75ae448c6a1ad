using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Benchmarks.Mixing;

/// <summary>
/// What supervision costs per 20 ms of a G.711 call: one operation is one tick of a call, the
/// agent's and the prospect's packet through the relay (decoded for the mix by its sinks when the
/// call is monitored), the supervisor's packet into the mixer, and the mixer's tick (mixes,
/// encodes, sends the supervisor's stream from its own relay end point and, in whisper, the
/// agent's through the relay). The baseline is the same call relayed and not monitored.
/// CPU per monitored call-second = (Monitored − Relayed) × 50. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class SupervisionMixerBenchmarks
{
    private readonly byte[] _agentTemplate = Packet(500, 0xA6E47);
    private readonly byte[] _prospectTemplate = Packet(1100, 0x7A0E5);
    private readonly byte[] _supervisorTemplate = Packet(1700, 0x5E1);
    private readonly byte[] _buffer = new byte[2048];
    private readonly byte[] _scratch = new byte[4096];
    private MediaRelay _relay = null!;
    private RelaySession _monitored = null!;
    private RelaySession _relayed = null!;
    private RelayEndpoint _endpoint = null!;
    private SupervisionMixer _mixer = null!;
    private MixSupervisor _supervisor = null!;
    private Socket _peer = null!;
    private SocketAddress _peerAddress = null!;
    private ushort _sequence;
    private long _tick;

    /// <summary>The supervisor's mode: listen (the parties stay forwarded) or whisper (the agent hears a mix).</summary>
    [Params(SupervisionMode.Listen, SupervisionMode.Whisper)]
    public SupervisionMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Every stream goes to one loopback socket nobody reads: the kernel drops what its buffer
        // cannot hold, the sends cost what they cost in production.
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peer = (IPEndPoint)_peer.LocalEndPoint!;
        _peerAddress = peer.Serialize();
        _relay = new MediaRelay(new MediaRelayOptions { MinPort = 42000, MaxPort = 42999, BindAddress = IPAddress.Loopback, ReceiverThreads = 1 });
        _monitored = NewSession(peer);
        _relayed = NewSession(peer);
        _endpoint = _relay.CreateEndpoint(IPAddress.Loopback);
        _endpoint.Configure(new RelayLegSettings { RemoteRtp = peer, AudioPayloadType = 0, ClockRate = 8000 });
        var pcmu = new MixFormat(AudioCodecInfo.Pcmu, 0);
        _mixer = new SupervisionMixer(_monitored, pcmu, pcmu);
        _supervisor = _mixer.AddSupervisor(pcmu, _endpoint, Mode);

        // The first packet of each leg latches it (its one allocation, at call set-up).
        Monitored();
        Relayed();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _mixer.Dispose();
        _endpoint.Dispose();
        _monitored.Dispose();
        _relayed.Dispose();
        _relay.Dispose();
        _peer.Dispose();
    }

    /// <summary>20 ms of a relayed call nobody supervises: two packets relayed.</summary>
    [Benchmark(Baseline = true)]
    public void Relayed()
    {
        _sequence++;
        Relay(_relayed, _relayed.LegA, _agentTemplate);
        Relay(_relayed, _relayed.LegB, _prospectTemplate);
    }

    /// <summary>20 ms of a supervised call: both packets relayed and decoded, the supervisor's packet taken in, one mixer tick.</summary>
    [Benchmark]
    public void Monitored()
    {
        _sequence++;
        Relay(_monitored, _monitored.LegA, _agentTemplate);
        Relay(_monitored, _monitored.LegB, _prospectTemplate);
        Stamp(_supervisorTemplate);
        _supervisor.Input.OnPacket(_buffer.AsSpan(0, _supervisorTemplate.Length), MediaDirection.Received);
        _tick++;
        _mixer.OnTick(new MediaTick(_tick, TimeSpan.FromMilliseconds(20 * _tick), TimeSpan.Zero));
    }

    /// <summary>One 20 ms PCMU packet of a continuous tone (amplitude 8,000).</summary>
    private static byte[] Packet(double hz, uint ssrc)
    {
        var packet = new byte[RtpPacket.FixedHeaderLength + 160];
        RtpPacket.WriteHeader(packet, 0, false, 0, 0, ssrc);
        var pcm = new short[160];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * hz * i / 8000));
        }

        CodecRegistry.Default.CreateEncoder(AudioCodecInfo.Pcmu).Encode(pcm, packet.AsSpan(RtpPacket.FixedHeaderLength));
        return packet;
    }

    private void Relay(RelaySession session, RelayLeg leg, byte[] template)
    {
        Span<byte> packet = Stamp(template);
        session.OnRtp(leg, packet, _peerAddress, _scratch);
    }

    private Span<byte> Stamp(byte[] template)
    {
        Span<byte> packet = _buffer.AsSpan(0, template.Length);
        template.CopyTo(packet);
        RtpPacket.TryParse(packet, out RtpPacket view);
        view.SequenceNumber = _sequence;
        view.Timestamp = (uint)(_sequence * 160);
        return packet;
    }

    private RelaySession NewSession(IPEndPoint peer)
    {
        RelaySession session = _relay.CreateSession();
        session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = peer, AudioPayloadType = 0, ClockRate = 8000 });
        session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = peer, AudioPayloadType = 0, ClockRate = 8000 });
        return session;
    }
}
