using System.Net;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Tests.Relay;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Media.Tests.Mixing;

/// <summary>
/// A relayed G.711 call on loopback with a mixer attached, driven tick by tick on one thread:
/// each tick the agent (500 Hz) and the prospect (1100 Hz) send a packet into the relay, each
/// supervisor one into the mixer, the mixer ticks, and what the agent's and the trunk's sockets
/// got is collected (exactly one packet each per tick: forwarded or mixed, never both).
/// </summary>
internal sealed class MixerRig : IDisposable
{
    public const double AgentHz = 500;
    public const double ProspectHz = 1100;

    private readonly byte[] _scratch = new byte[4096];
    private readonly SocketAddress _agentAddress;
    private readonly SocketAddress _trunkAddress;
    private readonly List<(MixSupervisor Supervisor, ToneSource Tone)> _supervisors = [];
    private long _tick;

    public MixerRig()
    {
        Fixture = new RelayFixture(time: Time);
        _agentAddress = Fixture.Agent.EndPoint.Serialize();
        _trunkAddress = Fixture.Trunk.EndPoint.Serialize();
        Mixer = new SupervisionMixer(Fixture.Session, new MixFormat(AudioCodecInfo.Pcmu, 0), new MixFormat(AudioCodecInfo.Pcmu, 0));
    }

    public FakeTimeProvider Time { get; } = new();

    public RelayFixture Fixture { get; }

    public SupervisionMixer Mixer { get; }

    public ToneSource Agent { get; } = new(AgentHz, AudioCodecInfo.Pcmu, 0, 0xA6E47);

    public ToneSource Prospect { get; } = new(ProspectHz, AudioCodecInfo.Pcmu, 0, 0x7A0E5);

    public HeardStream AtAgent { get; } = new(AudioCodecInfo.Pcmu);

    public HeardStream AtProspect { get; } = new(AudioCodecInfo.Pcmu);

    public int Ticks => (int)_tick;

    public (MixSupervisor Supervisor, CapturingOutlet Outlet) AddSupervisor(double frequency, SupervisionMode mode, AudioCodecInfo? codec = null)
    {
        codec ??= AudioCodecInfo.Pcmu;
        var outlet = new CapturingOutlet(codec);
        MixSupervisor supervisor = Mixer.AddSupervisor(new MixFormat(codec, codec.StaticPayloadType), outlet, mode);
        _supervisors.Add((supervisor, new ToneSource(frequency, codec, codec.StaticPayloadType, (uint)(0x5000 + _supervisors.Count))));
        return (supervisor, outlet);
    }

    public void Remove(MixSupervisor supervisor)
    {
        Assert.True(Mixer.RemoveSupervisor(supervisor));
        _supervisors.RemoveAll(s => s.Supervisor == supervisor);
    }

    public void Run(int ticks)
    {
        for (int i = 0; i < ticks; i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(20));
            Fixture.Session.OnRtp(Fixture.Session.LegA, Agent.NextPacket(), _agentAddress, _scratch);
            Fixture.Session.OnRtp(Fixture.Session.LegB, Prospect.NextPacket(), _trunkAddress, _scratch);
            foreach ((MixSupervisor supervisor, ToneSource tone) in _supervisors)
            {
                supervisor.Input.OnPacket(tone.NextPacket(), MediaDirection.Received);
            }

            _tick++;
            Mixer.OnTick(new MediaTick(_tick, TimeSpan.FromMilliseconds(20 * _tick), TimeSpan.Zero));
            AtAgent.Add(Fixture.Agent.Receive() ?? throw new InvalidOperationException($"the agent got nothing at tick {_tick}"));
            AtProspect.Add(Fixture.Trunk.Receive() ?? throw new InvalidOperationException($"the prospect got nothing at tick {_tick}"));
        }

        Assert.Null(Fixture.Agent.Receive(50));
        Assert.Null(Fixture.Trunk.Receive(50));
    }

    /// <summary>
    /// Over packets [from, to) of <paramref name="stream"/>: each tone of <paramref name="heard"/>
    /// is there at a speaking level, and each of <paramref name="silent"/> is at least 40 dB
    /// below the quietest of them.
    /// </summary>
    public static void AssertHears(HeardStream stream, int from, int to, double[] heard, double[] silent)
    {
        double quietest = double.MaxValue;
        foreach (double frequency in heard)
        {
            double level = stream.Level(frequency, from, to);
            Assert.True(level > 2000, $"{frequency} Hz should be heard: amplitude {level:F0}");
            quietest = Math.Min(quietest, level);
        }

        foreach (double frequency in silent)
        {
            double level = stream.Level(frequency, from, to);
            double margin = 20 * Math.Log10(quietest / Math.Max(level, 1e-9));
            Assert.True(margin >= 40, $"{frequency} Hz should not be heard: only {margin:F1} dB below");
        }
    }

    public void Dispose()
    {
        Mixer.Dispose();
        Fixture.Dispose();
    }
}
