using System.Globalization;

namespace CallSwitch.LoadHarness;

/// <summary>Command-line options of the harness.</summary>
internal sealed record LoadOptions
{
    public int Calls { get; init; } = 50;

    /// <summary>Length of the measurement window, in seconds (every call up and talking).</summary>
    public int HoldSeconds { get; init; } = 30;

    /// <summary>Seconds between the last call's media starting and the window opening.</summary>
    public int WarmupSeconds { get; init; } = 3;

    /// <summary>New calls per second while setting up.</summary>
    public int Rate { get; init; } = 50;

    public int RtpPortMin { get; init; } = 21000;

    public string LogLevel { get; init; } = "information";

    /// <summary>Baseline: no switch, each phone socket sends straight to its counterpart.</summary>
    public bool Direct { get; init; }

    public bool KeepTemp { get; init; }

    /// <summary>Record every call (campaign mode always) and check the recordings after the run.</summary>
    public bool Record { get; init; }

    /// <summary>Recordings exported and checked with opusinfo and ffprobe after a recorded run.</summary>
    public int SampleRecordings { get; init; } = 5;

    public string? SwitchPath { get; init; }

    /// <summary>A backlog of expired recordings (CallSwitch.PurgeBench generate): the switch runs on its store, spool and master key, and the retention sidecar purges it from the window's opening.</summary>
    public string? Backlog { get; init; }

    /// <summary>Calls a supervisor joins (each placed by an agent of its own, supervised by a supervisor of its own).</summary>
    public int Monitored { get; init; }

    /// <summary>The supervisors' mode: listen (*71) or whisper (*72).</summary>
    public string Mode { get; init; } = "listen";

    /// <summary>The agents and prospects send comfort noise (RTP payload type 13) instead of their tones: silent calls, relayed alike, recorded as silence.</summary>
    public bool Silent { get; init; }

    /// <summary>Browsers on the web console's live board during the run (server-sent events), signed in as a supervisor of every team.</summary>
    public int ConsoleClients { get; init; }

    /// <summary>CPS mode: new calls per second (0: the concurrent-calls mode). Signalling only; the notice goes to one drain socket.</summary>
    public int Cps { get; init; }

    /// <summary>CPS mode: seconds during which calls are placed.</summary>
    public int DurationSeconds { get; init; } = 60;

    /// <summary>CPS mode: how long each call is held after its ACK, in milliseconds.</summary>
    public int CallMilliseconds { get; init; } = 1000;
    /// <summary>Churn: each call lasts this many seconds and is replaced at once (0: every call held through the run).</summary>
    public int ChurnSeconds { get; init; }

    public const string Usage = """
        CallSwitch.LoadHarness — N concurrent calls through a real switch process, RTP both ways.

          dotnet run -c Release --project bench/CallSwitch.LoadHarness -- [options]

          --calls N        concurrent calls (default 50)
          --hold S         measurement window in seconds, every call talking (default 30)
          --warmup S       seconds after the last call's media starts before measuring (default 3)
          --rate R         calls set up per second (default 50)
          --rtp-min P      first RTP port of the switch's relay range (default 21000; even)
          --log-level L    the switch's logging level (default information)
          --direct         baseline without the switch: the harness's sockets talk to each other
          --record         record every call (mode always, master key in CALLSWITCH_MASTER_KEY), then
                           check every recording's row and file, and export a sample through
                           `callswitch recordings export` for opusinfo and ffprobe
          --samples K      recordings exported and checked with --record (default 5)
          --keep           keep the temporary folder (config, logs, SIPp files)
          --switch PATH    the callswitch executable (default: the one built next to the harness)
          --backlog DIR    with --record: run the switch on the store, spool and master key of a backlog of
                           expired recordings (dotnet run --project bench/CallSwitch.PurgeBench -- generate),
                           and start `callswitch-retention --once` on it when the window opens: the switch's
                           store writer latency (logged at stop) then shows what the purge costs the switch
          --monitored M    M of the calls are supervised: each placed by an agent of its own (2001…)
                           and joined, once every call talks, by a supervisor (3001…, SIPp, dialling
                           *71 or *72 + the agent) whose RTP socket talks a tone and counts the mix it
                           hears (loss from its sequence numbers, skipped ticks from its timestamps)
          --mode MODE      the supervisors' mode with --monitored: listen (default) or whisper (the
                           agent then hears a mix too, counted the same way)
          --console-clients N  N clients on the web console's live board (its event stream) through the run
          --silent         silent calls: the phones send comfort noise (payload type 13, which the recorder
                           records as silence) instead of their tones; the relay's work is the same

        Every run through the switch also reports its memory: VmRSS idle, sampled every 5 s through the
        window (median, slope, first/last stretch) and after the calls, bytes per concurrent call, and
        the collector in the window from the switch's /metrics (the API is turned on, on loopback).

        CPS mode (call set-ups per second; SIPp as agent with digest and as trunk, no RTP of ours):
          --cps N          place N new calls per second (INVITE, 407, INVITE with credentials, 200,
                           ACK, a short call, BYE); reports the set-ups per second achieved, failed
                           calls, set-up latency p50/p99 (first INVITE to 200, SIPp's rtd), and the
                           switch's CPU per call (/proc/PID/stat); with --record every call is recorded
          --duration S     seconds during which calls are placed (default 60)
          --call-ms M      each call held M ms after its ACK (default 1000)
          --warmup S       before the measured run, S seconds of calls at a tenth of the rate, not
                           counted (the switch's code reaches its optimised tier; default 3)
          --churn-seconds T    each call lasts T s and SIPp replaces it at once (N/T calls start and end
                           per second through the window; RTP re-latches to each new call, so loss
                           figures count the switch-overs: read the CPU)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int(int min, int max)
            {
                string name = args[i];
                int value = int.Parse(Next(), CultureInfo.InvariantCulture);
                return value >= min && value <= max ? value : throw new ArgumentException($"{name} must be in {min}..{max}");
            }

            o = args[i] switch
            {
                "--calls" => o with { Calls = Int(1, 5000) },
                "--hold" => o with { HoldSeconds = Int(1, 3600) },
                "--warmup" => o with { WarmupSeconds = Int(0, 600) },
                "--rate" => o with { Rate = Int(1, 2000) },
                "--rtp-min" => o with { RtpPortMin = Int(1024, 60000) & ~1 },
                "--log-level" => o with { LogLevel = Next() },
                "--direct" => o with { Direct = true },
                "--record" => o with { Record = true },
                "--samples" => o with { SampleRecordings = Int(0, 1000) },
                "--keep" => o with { KeepTemp = true },
                "--switch" => o with { SwitchPath = Next() },
                "--backlog" => o with { Backlog = Path.GetFullPath(Next()) },
                "--monitored" => o with { Monitored = Int(0, 999) },
                "--mode" => o with { Mode = Next() switch { "listen" => "listen", "whisper" => "whisper", _ => throw new ArgumentException("--mode must be listen or whisper") } },
                "--console-clients" => o with { ConsoleClients = Int(0, 1000) },
                "--silent" => o with { Silent = true },
                "--cps" => o with { Cps = Int(1, 5000) },
                "--duration" => o with { DurationSeconds = Int(1, 3600) },
                "--call-ms" => o with { CallMilliseconds = Int(0, 600_000) },
                "--churn-seconds" => o with { ChurnSeconds = Int(1, 600) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (o.Backlog is not null && !o.Record)
        {
            throw new ArgumentException("--backlog needs --record (the purge runs beside a recording switch)");
        }

        if (o.ChurnSeconds > 0 && (o.Direct || o.Monitored > 0))
        {
            throw new ArgumentException("--churn-seconds needs the switch and no --monitored (a supervisor's call would end under them)");
        }

        if (o.Direct && (o.Record || o.Monitored > 0))
        {
            throw new ArgumentException("--record and --monitored need the switch (not with --direct)");
        }

        if (o.Cps > 0 && (o.Direct || o.Monitored > 0 || o.ConsoleClients > 0 || o.Backlog is not null))
        {
            throw new ArgumentException("--cps runs alone (with --record, --samples, --log-level, --rtp-min, --keep, --switch)");
        }

        return o.Monitored > o.Calls ? throw new ArgumentException("--monitored cannot exceed --calls") : o;
    }
}
