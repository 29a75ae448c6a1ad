using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Mixing;

public class SupervisionMixerTests
{
    private const double SupervisorHz = 1700;
    private const double SecondSupervisorHz = 2300;
    private static readonly double[] Nothing = [];

    [Fact]
    public void InListenModeThePartiesStayForwardedUntouchedAndNobodyHearsTheSupervisor()
    {
        using var rig = new MixerRig();
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Listen);
        rig.Run(50);

        Assert.True(rig.Fixture.Session.IsForwarding(RelayLegId.A));
        Assert.True(rig.Fixture.Session.IsForwarding(RelayLegId.B));
        Assert.Equal(rig.Prospect.Sent.Select(Convert.ToHexString), rig.AtAgent.Packets.Select(p => Convert.ToHexString(p.Payload)));
        Assert.Equal(rig.Agent.Sent.Select(Convert.ToHexString), rig.AtProspect.Packets.Select(p => Convert.ToHexString(p.Payload)));
        MixerRig.AssertHears(supervisor.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz], [SupervisorHz]);
        MixerRig.AssertHears(rig.AtAgent, 5, 50, [MixerRig.ProspectHz], [SupervisorHz, MixerRig.AgentHz]);
        MixerRig.AssertHears(rig.AtProspect, 5, 50, [MixerRig.AgentHz], [SupervisorHz, MixerRig.ProspectHz]);
    }

    [Fact]
    public void InWhisperModeTheAgentHearsTheSupervisorAndTheProspectOnlyTheAgent()
    {
        using var rig = new MixerRig();
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Whisper);
        rig.Run(50);

        Assert.False(rig.Fixture.Session.IsForwarding(RelayLegId.B));
        Assert.True(rig.Fixture.Session.IsForwarding(RelayLegId.A));
        Assert.Equal(rig.Agent.Sent.Select(Convert.ToHexString), rig.AtProspect.Packets.Select(p => Convert.ToHexString(p.Payload)));
        MixerRig.AssertHears(rig.AtAgent, 5, 50, [MixerRig.ProspectHz, SupervisorHz], [MixerRig.AgentHz]);
        MixerRig.AssertHears(rig.AtProspect, 5, 50, [MixerRig.AgentHz], [SupervisorHz, MixerRig.ProspectHz]);
        MixerRig.AssertHears(supervisor.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz], [SupervisorHz]);
    }

    [Fact]
    public void InBargeModeEveryoneHearsEveryoneElse()
    {
        using var rig = new MixerRig();
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Barge);
        rig.Run(50);

        Assert.False(rig.Fixture.Session.IsForwarding(RelayLegId.A));
        Assert.False(rig.Fixture.Session.IsForwarding(RelayLegId.B));
        MixerRig.AssertHears(rig.AtAgent, 5, 50, [MixerRig.ProspectHz, SupervisorHz], [MixerRig.AgentHz]);
        MixerRig.AssertHears(rig.AtProspect, 5, 50, [MixerRig.AgentHz, SupervisorHz], [MixerRig.ProspectHz]);
        MixerRig.AssertHears(supervisor.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz], [SupervisorHz]);
    }

    [Fact]
    public void ModeSwitchesKeepEachPartysStreamOneContinuousStream()
    {
        using var rig = new MixerRig();
        (MixSupervisor supervisor, _) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Listen);
        rig.Run(20);
        rig.Mixer.SetMode(supervisor, SupervisionMode.Whisper);
        rig.Run(20);
        rig.Mixer.SetMode(supervisor, SupervisionMode.Barge);
        rig.Run(20);
        rig.Mixer.SetMode(supervisor, SupervisionMode.Listen);
        rig.Run(20);
        rig.Remove(supervisor);
        rig.Run(20);

        foreach (HeardStream stream in new[] { rig.AtAgent, rig.AtProspect })
        {
            Assert.Equal(100, stream.Packets.Count);
            Assert.Single(stream.Packets.Select(p => p.Ssrc).Distinct());
            for (int i = 1; i < stream.Packets.Count; i++)
            {
                Assert.Equal((ushort)(stream.Packets[i - 1].Sequence + 1), stream.Packets[i].Sequence);
                Assert.Equal(stream.Packets[i - 1].Timestamp + 160, stream.Packets[i].Timestamp);
            }
        }

        // The agent's source changed at 20 (→ mix) and 60 (→ forwarded); the prospect's at 40 and 60.
        Assert.Equal([0, 20, 60], Markers(rig.AtAgent));
        Assert.Equal([0, 40, 60], Markers(rig.AtProspect));
        MixerRig.AssertHears(rig.AtAgent, 22, 40, [MixerRig.ProspectHz, SupervisorHz], [MixerRig.AgentHz]);
        MixerRig.AssertHears(rig.AtProspect, 22, 40, [MixerRig.AgentHz], [SupervisorHz]);
        MixerRig.AssertHears(rig.AtProspect, 42, 60, [MixerRig.AgentHz, SupervisorHz], [MixerRig.ProspectHz]);
        MixerRig.AssertHears(rig.AtAgent, 62, 100, [MixerRig.ProspectHz], [SupervisorHz]);
        MixerRig.AssertHears(rig.AtProspect, 62, 100, [MixerRig.AgentHz], [SupervisorHz]);
        Assert.True(rig.Fixture.Session.IsForwarding(RelayLegId.A));
        Assert.True(rig.Fixture.Session.IsForwarding(RelayLegId.B));
    }

    [Fact]
    public void AG722SupervisorOnAG711CallHearsAndIsHeard()
    {
        using var rig = new MixerRig();
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Whisper, AudioCodecInfo.G722);
        rig.Run(50);

        Assert.All(supervisor.Heard.Packets, p => Assert.Equal(160, p.Payload.Length));
        MixerRig.AssertHears(supervisor.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz], [SupervisorHz]);
        MixerRig.AssertHears(rig.AtAgent, 5, 50, [MixerRig.ProspectHz, SupervisorHz], [MixerRig.AgentHz]);
        MixerRig.AssertHears(rig.AtProspect, 5, 50, [MixerRig.AgentHz], [SupervisorHz]);
    }

    [Fact]
    public void SeveralSupervisorsHearTheBargerButNeverTheWhispererNorTheListener()
    {
        using var rig = new MixerRig();
        (_, CapturingOutlet barger) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Barge);
        (_, CapturingOutlet whisperer) = rig.AddSupervisor(SecondSupervisorHz, SupervisionMode.Whisper);
        (_, CapturingOutlet listener) = rig.AddSupervisor(2900, SupervisionMode.Listen);
        rig.Run(50);

        MixerRig.AssertHears(rig.AtAgent, 5, 50, [MixerRig.ProspectHz, SupervisorHz, SecondSupervisorHz], [MixerRig.AgentHz, 2900]);
        MixerRig.AssertHears(rig.AtProspect, 5, 50, [MixerRig.AgentHz, SupervisorHz], [SecondSupervisorHz, 2900]);
        MixerRig.AssertHears(barger.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz], [SupervisorHz, SecondSupervisorHz, 2900]);
        MixerRig.AssertHears(whisperer.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz, SupervisorHz], [SecondSupervisorHz, 2900]);
        MixerRig.AssertHears(listener.Heard, 5, 50, [MixerRig.AgentHz, MixerRig.ProspectHz, SupervisorHz], [SecondSupervisorHz, 2900]);
    }

    [Fact]
    public void TheListenFeedCarriesBothPartiesToAnyAttachedSink()
    {
        using var rig = new MixerRig();
        var feed = new FeedCapture();
        rig.Mixer.AddListenSink(feed);
        rig.AddSupervisor(SupervisorHz, SupervisionMode.Barge);
        rig.Run(30);
        rig.Mixer.RemoveListenSink(feed);
        rig.Run(5);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), feed.Ticks);
        short[] pcm = [.. feed.Samples.Skip(5 * SupervisionMixer.FrameSamples)];
        double agent = Codecs.SignalMath.ToneAmplitude(pcm, MixerRig.AgentHz, SupervisionMixer.SampleRate);
        double prospect = Codecs.SignalMath.ToneAmplitude(pcm, MixerRig.ProspectHz, SupervisionMixer.SampleRate);
        double supervisor = Codecs.SignalMath.ToneAmplitude(pcm, SupervisorHz, SupervisionMixer.SampleRate);
        Assert.True(agent > 2000 && prospect > 2000, $"agent {agent:F0}, prospect {prospect:F0}");
        Assert.True(20 * Math.Log10(Math.Min(agent, prospect) / Math.Max(supervisor, 1e-9)) >= 40, $"supervisor {supervisor:F1}");
    }

    [Fact]
    public void AFaultyFeedSinkCostsNeitherThePartiesNorTheSupervisor()
    {
        using var rig = new MixerRig();
        rig.Mixer.AddListenSink(new ThrowingSink());
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Whisper);
        rig.Run(20);

        Assert.Equal(20, supervisor.Heard.Packets.Count);
        Assert.Equal(20, rig.Mixer.Faults);
        MixerRig.AssertHears(rig.AtAgent, 5, 20, [MixerRig.ProspectHz, SupervisorHz], [MixerRig.AgentHz]);
    }

    [Fact]
    public void TheNoticeToneReachesTheAgentAloneThenTheAgentIsForwardedAgain()
    {
        const double ToneHz = 440;
        using var rig = new MixerRig();
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Listen);
        rig.Mixer.StartAgentTone();
        Assert.False(rig.Fixture.Session.IsForwarding(RelayLegId.B));
        rig.Run(20);
        rig.Mixer.StopAgentTone();
        rig.Run(20);

        Assert.True(rig.Fixture.Session.IsForwarding(RelayLegId.B));
        // (The agent's own 500 Hz is not checked here: it sits beside the 440 Hz tone, whose
        // spectral leakage over 18 frames is only ~36 dB down there.)
        MixerRig.AssertHears(rig.AtAgent, 2, 20, [MixerRig.ProspectHz, ToneHz], [SupervisorHz]);
        MixerRig.AssertHears(rig.AtAgent, 22, 40, [MixerRig.ProspectHz], [ToneHz, SupervisorHz]);
        MixerRig.AssertHears(rig.AtProspect, 2, 40, [MixerRig.AgentHz], [ToneHz, SupervisorHz]);
        MixerRig.AssertHears(supervisor.Heard, 2, 40, [MixerRig.AgentHz, MixerRig.ProspectHz], [ToneHz, SupervisorHz]);
        Assert.Equal([0, 20], Markers(rig.AtAgent));
    }

    [Fact]
    public void WhileTheCallIsHeldABargingSupervisorNeverReachesTheProspect()
    {
        using var rig = new MixerRig();
        var changes = new List<bool>();
        rig.Mixer.ProspectMixChanged += changes.Add;
        (_, CapturingOutlet supervisor) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Barge);
        rig.Run(20);
        rig.Mixer.SetHeld(true);
        rig.Run(20);
        rig.Mixer.SetHeld(false);
        rig.Run(20);

        // The prospect: the mix, then (held) the agent's own packets untouched, then the mix again.
        Assert.Equal([true, false, true], changes);
        MixerRig.AssertHears(rig.AtProspect, 2, 20, [MixerRig.AgentHz, SupervisorHz], [MixerRig.ProspectHz]);
        MixerRig.AssertHears(rig.AtProspect, 22, 40, [MixerRig.AgentHz], [SupervisorHz, MixerRig.ProspectHz]);
        Assert.Equal(rig.Agent.Sent.Skip(20).Take(20).Select(Convert.ToHexString), rig.AtProspect.Packets.Skip(20).Take(20).Select(p => Convert.ToHexString(p.Payload)));
        MixerRig.AssertHears(rig.AtProspect, 42, 60, [MixerRig.AgentHz, SupervisorHz], [MixerRig.ProspectHz]);
        Assert.Equal([0, 20, 40], Markers(rig.AtProspect));

        // The agent and the supervisor hear each other all along.
        MixerRig.AssertHears(rig.AtAgent, 2, 60, [MixerRig.ProspectHz, SupervisorHz], [MixerRig.AgentHz]);
        MixerRig.AssertHears(supervisor.Heard, 2, 60, [MixerRig.AgentHz, MixerRig.ProspectHz], [SupervisorHz]);
    }

    [Fact]
    public void ModesOfASupervisorNotOnTheCallAreRefused()
    {
        using var rig = new MixerRig();
        (MixSupervisor supervisor, _) = rig.AddSupervisor(SupervisorHz, SupervisionMode.Listen);
        rig.Remove(supervisor);
        Assert.Throws<InvalidOperationException>(() => rig.Mixer.SetMode(supervisor, SupervisionMode.Barge));
        Assert.False(rig.Mixer.RemoveSupervisor(supervisor));
    }

    private static int[] Markers(HeardStream stream) =>
        [.. stream.Packets.Select((p, i) => (p.Marker, i)).Where(p => p.Marker).Select(p => p.i)];

    private sealed class FeedCapture : IPcmFrameSink
    {
        public List<long> Ticks { get; } = [];

        public List<short> Samples { get; } = [];

        public void OnFrame(ReadOnlySpan<short> pcm, long tickIndex)
        {
            Assert.Equal(SupervisionMixer.FrameSamples, pcm.Length);
            Ticks.Add(tickIndex);
            Samples.AddRange(pcm.ToArray());
        }
    }

    private sealed class ThrowingSink : IPcmFrameSink
    {
        public void OnFrame(ReadOnlySpan<short> pcm, long tickIndex) => throw new InvalidOperationException("broken consumer");
    }
}
