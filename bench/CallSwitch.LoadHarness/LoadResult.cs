using CallSwitch.LoadHarness.Memory;
using CallSwitch.LoadHarness.Recording;
using CallSwitch.LoadHarness.Rtp;

namespace CallSwitch.LoadHarness;

/// <summary>What one run measured. CPU figures are over the measurement window unless named otherwise.</summary>
internal sealed record LoadResult
{
    public required LoadOptions Options { get; init; }

    public required int CallsTalking { get; init; }

    public required double WindowSeconds { get; init; }

    public required DirectionStats AgentToProspect { get; init; }

    public required DirectionStats ProspectToAgent { get; init; }

    public TimeSpan SwitchCpu { get; init; }

    public TimeSpan SippCpu { get; init; }

    public TimeSpan HarnessCpu { get; init; }

    public double MachineBusyPercent { get; init; }

    /// <summary>Switch CPU from the first INVITE to the last call's media, divided by the calls (signalling + early media).</summary>
    public double SetupCpuMsPerCall { get; init; }

    public double SetupSeconds { get; init; }

    /// <summary>Switch CPU from the window's end until both SIPp instances finished (BYEs).</summary>
    public double TeardownCpuMsPerCall { get; init; }

    /// <summary>Switch CPU per second with no call, measured once every call has ended.</summary>
    public double SwitchIdleMsPerSecond { get; init; }

    /// <summary>The same, measured before the first INVITE (start-up work may still run).</summary>
    public double SwitchIdleBeforeMsPerSecond { get; init; }

    /// <summary>Switch CPU by thread name over the idle measurement after the calls (3 s).</summary>
    public IReadOnlyList<(string Name, int Threads, double Ms)> SwitchThreadsIdle { get; init; } = [];

    /// <summary>Switch CPU by thread name over the window.</summary>
    public IReadOnlyList<(string Name, int Threads, double Ms)> SwitchThreadsInWindow { get; init; } = [];

    public int SwitchThreads { get; init; }

    public long SwitchRssBytes { get; init; }

    public long Misrouted { get; init; }

    public string? FirstMisrouted { get; init; }

    public long SendErrors { get; init; }

    public long SendResyncs { get; init; }

    public double SenderMaxGapMs { get; init; }

    public double ReceiverMaxGapMs { get; init; }

    public string SippOutcome { get; init; } = "-";

    /// <summary>The mixed streams heard (with --monitored): the supervisors', and the agents' in whisper.</summary>
    public MixedStreams? Mixed { get; init; }

    /// <summary>Packets the supervisors sent in the window.</summary>
    public long SupervisorsSent { get; init; }

    /// <summary>Packets the prospects of whispered-to agents sent in the window (heard mixed, not counted in the directions).</summary>
    public long SentIntoMix { get; init; }

    /// <summary>Mixed streams expected: one per supervisor, plus one per agent in whisper.</summary>
    public int MixedStreamsExpected => Options.Monitored * (Options.Mode == "whisper" ? 2 : 1);

    /// <summary>What the recorders left (with --record), read back after the switch stopped.</summary>
    public RecordingFigures? Recordings { get; init; }

    /// <summary>The switch's own line on its metadata store writer's latency (queued to committed), from its log at stop.</summary>
    public string StoreWriterLatency { get; init; } = "-";

    /// <summary>The switch's resident set and collector over the run (null without the switch).</summary>
    public MemoryFigures? Memory { get; init; }

    /// <summary>With --backlog: what the retention sidecar purged while the window was open and while the switch ran.</summary>
    public string? Purge { get; init; }

    /// <summary>Switch CPU of the thread pool's workers in the window (the recorders' pumps run there; so do timers and signalling), per call-second.</summary>
    public double ThreadPoolMsPerCallSecond => CallSeconds == 0 ? double.NaN :
        SwitchThreadsInWindow.Where(t => t.Name.StartsWith(".NET TP", StringComparison.Ordinal)).Sum(t => t.Ms) / CallSeconds;

    public double CallSeconds => CallsTalking * WindowSeconds;

    public double SwitchCpuMsPerCallSecond => CallSeconds == 0 ? double.NaN : SwitchCpu.TotalMilliseconds / CallSeconds;

    /// <summary>Per call-second with the idle cost taken off: what one more call costs.</summary>
    public double SwitchNetCpuMsPerCallSecond => CallSeconds == 0 ? double.NaN : (SwitchCpu.TotalMilliseconds - (SwitchIdleMsPerSecond * WindowSeconds)) / CallSeconds;

    public double SwitchCpuPercentOfOneCore => WindowSeconds == 0 ? double.NaN : 100.0 * SwitchCpu.TotalSeconds / WindowSeconds;

    public double SwitchCpuMicrosecondsPerPacket
    {
        get
        {
            long relayed = AgentToProspect.Received + ProspectToAgent.Received;
            return relayed == 0 ? double.NaN : SwitchCpu.TotalMilliseconds * 1000.0 / relayed;
        }
    }

    public long Sent => AgentToProspect.Sent + ProspectToAgent.Sent;

    public long Lost => AgentToProspect.Lost + ProspectToAgent.Lost;

    public double LossPercent => Sent == 0 ? double.NaN : 100.0 * Lost / Sent;

    /// <summary>
    /// Packets the parties sent in the window (those heard only mixed included) over the 50 per
    /// second per stream asked for (below 1 when the harness itself was starved).
    /// </summary>
    public double SentShare => CallSeconds == 0 ? double.NaN : (Sent + SentIntoMix) / (CallSeconds * 50 * 2);
}
