using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using Serilog.Core;
using System.Net;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.InteropTests.Signalling;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;
using NAudio.Wave;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// A switch with one trunk (SIPp as the carrier, on a free port) and one campaign whose
/// notice is a one-second tone, plus the pieces to run a call: SIPp as the agent, and the
/// test's own RTP sockets as both phones' media.
/// </summary>
internal sealed class CallHarness : IAsyncDisposable
{
    public const string Number = "+33612345678";

    private static readonly CallSwitch.Compliance.Numbers.PhoneNumberNormalizer Normalizer = new("FR");

    private readonly bool _ownsSpool;
    private string? _ownedDataPath;

    private CallHarness(TestSwitch sw, int trunkPort, Announcement notice, RecordingKeyManager? keys, InMemoryKeyStore? keyStore, string? spool, bool ownsSpool)
    {
        _ownsSpool = ownsSpool;
        Switch = sw;
        TrunkPort = trunkPort;
        Notice = notice;
        RecordingKeys = keys;
        KeyStore = keyStore;
        SpoolPath = spool;
    }

    /// <summary>The wrapped data keys of the recordings (to see that a refused one was shredded) when the campaign records.</summary>
    public InMemoryKeyStore? KeyStore { get; }

    /// <summary>The recordings' key manager (in-memory keys, a fresh master key) when the campaign records.</summary>
    public RecordingKeyManager? RecordingKeys { get; }

    /// <summary>The spool when the campaign records: the one given, or a temporary folder deleted with the harness.</summary>
    public string? SpoolPath { get; }

    public TestSwitch Switch { get; }

    public int TrunkPort { get; }

    public Announcement Notice { get; }

    public RtpPeer AgentMedia { get; } = new();

    public RtpPeer TrunkMedia { get; } = new();

    public static CallHarness Start(
        IReadOnlyList<AudioCodec>? trunkCodecs = null,
        bool agentHears = false,
        int maxChannels = 4,
        TimeSpan? rtpTimeout = null,
        string? trunkUsername = null,
        string? trunkPassword = null,
        string? inboundDid = null,
        RecordingRule? recording = null,
        double noticeHz = 440,
        string? spool = null,
        string? dataPath = null,
        TimeSpan? noticeLength = null,
        Func<CallSwitch.Configuration.SwitchConfig, CallSwitch.Configuration.SwitchConfig>? adjust = null,
        RecordingVault? vault = null,
        bool ownsDataPath = false)
    {
        int trunkPort = FreePorts.Next();
        Announcement notice = Announcement.FromWaveBytes(Tone(noticeLength ?? TimeSpan.FromSeconds(1), noticeHz), "test-notice.wav");
        var trunk = new Trunk
        {
            Id = "carrier",
            Host = "127.0.0.1",
            EndPoint = new IPEndPoint(IPAddress.Loopback, trunkPort),
            CallerId = "+33100000000",
            Codecs = trunkCodecs ?? [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.TelephoneEvent],
            MaxChannels = maxChannels,
            Username = trunkUsername,
            Password = trunkPassword,
        };
        var campaign = new Campaign { Id = "spring", TrunkId = "carrier", Announcement = notice, AgentHearsAnnouncement = agentHears, Recording = recording };
        InMemoryKeyStore? keyStore = recording is null ? null : new InMemoryKeyStore();
        RecordingKeyManager? keys = keyStore is null ? null : new RecordingKeyManager(keyStore, MasterKey.Generate());
        bool ownsSpool = spool is null && recording is not null;
        spool ??= recording is null ? null : Directory.CreateTempSubdirectory("cs-spool-").FullName;
        var table = new RoutingTable
        {
            Trunks = new Dictionary<string, Trunk> { ["carrier"] = trunk },
            Campaigns = new Dictionary<string, Campaign> { ["spring"] = campaign },
            AgentCampaigns = new Dictionary<string, IReadOnlyList<string>> { ["1001"] = ["spring"], ["1002"] = ["spring"] },
            Extensions = new HashSet<string> { "1001", "1002", "1003" },
            Inbound = inboundDid is null
                ? new Dictionary<string, InboundRoute>()
                : new Dictionary<string, InboundRoute> { [inboundDid] = new(inboundDid, "1002", null, "spring") },
        };
        int rtpBase = 30000 + (FreePorts.Next() % 50) * 100;
        var calls = new CallSetup
        {
            Relay = new MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = rtpBase, MaxPort = rtpBase + 98 },
            Routing = () => table,
            RtpTimeout = rtpTimeout ?? TimeSpan.FromSeconds(60),
            Normalize = Normalizer.TryNormalize,
            Vault = vault ?? (keys is null || spool is null ? null : new RecordingVault(spool, keys)),
            DataPath = dataPath,
        };
        return new CallHarness(TestSwitch.Start(adjust, calls), trunkPort, notice, keys, keyStore, spool, ownsSpool)
        {
            // A data folder the caller made for this harness alone: deleted with it.
            _ownedDataPath = ownsDataPath ? dataPath : null,
        };
    }

    /// <summary>One SIPp call through the switch, recorded under <paramref name="campaign"/>'s rule, its keys in the data folder as in production; the recording's row and the switch's log.</summary>
    public static async Task<(RecordingMetadata Recording, string Log)> RecordOneCallAsync(string campaign, int retentionDays, string data, string spool)
    {
        var rule = new RecordingRule
        {
            CampaignId = campaign,
            Mode = RecordingMode.Always,
            RecordAnnouncement = true,
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionDays = retentionDays,
        };
        await using var h = CallHarness.Start(recording: rule, dataPath: data, spool: spool, vault: RecordingVault.Open(data, spool, Logger.None));
        CallArchive archive = h.Switch.Host.Archive ?? throw new InvalidOperationException("no archive\n" + h.Switch.Log);
        var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 1500);
        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + h.Switch.Log);
        B2buaCall call = h.LastCall ?? throw new InvalidOperationException("no call\n" + h.Switch.Log);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var result = Assert.Single(call.Recording!.Results);
        RecordingMetadata recording = await archive.Store.GetRecordingAsync(Guid.Parse(result.RecordingId))
            ?? throw new InvalidOperationException("no recording row\n" + h.Switch.Log);
        Assert.Equal(campaign, recording.CampaignId);
        Assert.True(recording.IsPlayable);
        Assert.True(File.Exists(recording.FilePath));
        return (recording, h.Switch.Log);
    }

    /// <summary>The values of the agent-call scenario for agent 1001 calling <paramref name="number"/>.</summary>
    public Dictionary<string, string> AgentValues(string number, int talkMs, string? hangup, string codec = "PCMU")
    {
        var values = new Dictionary<string, string>
        {
            ["USER"] = "1001",
            ["PASSWORD"] = "demo1001",
            ["NUMBER"] = number,
            ["RTP_PORT"] = AgentMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AGENT_PT"] = codec == "PCMA" ? "8" : codec == "G722" ? "9" : "0",
            ["AGENT_CODEC"] = codec,
            ["TALK_MS"] = talkMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        values["HANGUP_BLOCK"] = Fill(Part(hangup), values);
        return values;
    }

    /// <summary>Runs the trunk and agent scenarios together; returns both results.</summary>
    public async Task<(SippResult Agent, SippResult Trunk)> RunAsync(
        string trunkScenario,
        string? agentHangup,
        string? trunkHangup,
        int talkMs,
        string agentScenario = "agent-call",
        string final = "200",
        string agentCodec = "PCMU",
        string trunkCodec = "PCMU",
        bool startMedia = true,
        Action<B2buaCall>? onAnswered = null,
        IReadOnlyDictionary<string, string>? extraAgentValues = null)
    {
        Dictionary<string, string> trunkValues = TrunkValues(talkMs, trunkHangup, trunkCodec);
        var agentValues = new Dictionary<string, string>
        {
            ["USER"] = "1001",
            ["PASSWORD"] = "demo1001",
            ["NUMBER"] = Number,
            ["RTP_PORT"] = AgentMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AGENT_PT"] = agentCodec == "PCMA" ? "8" : agentCodec == "G722" ? "9" : "0",
            ["AGENT_CODEC"] = agentCodec,
            ["FINAL"] = final,
            ["TALK_MS"] = talkMs.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // agent-hold: how long the hold lasts, then how long the call goes on after the resume.
            ["HOLD_MS"] = "800",
            ["AFTER_MS"] = "500",
        };
        foreach ((string key, string value) in extraAgentValues ?? new Dictionary<string, string>())
        {
            agentValues[key] = value;
        }

        agentValues["HANGUP_BLOCK"] = Fill(Part(agentHangup), agentValues);

        Task<SippResult> trunk = RunTrunkAsync(trunkScenario, trunkValues);
        await Task.Delay(300);
        Task<SippResult> agent = Sipp.RunAsync(Scenario(agentScenario), Switch.EndPoint, tcp: false, agentValues, timeLimit: TimeSpan.FromSeconds(30));
        Task media = StartMediaWhenCallExistsAsync(agent, startMedia, onAnswered);
        var results = (await agent, await trunk);
        await media;
        return results;
    }

    /// <summary>The values of a trunk scenario that answers (trunk-answer and the like): media to <see cref="TrunkMedia"/> in <paramref name="codec"/>, then <paramref name="hangup"/>.</summary>
    public Dictionary<string, string> TrunkValues(int talkMs, string? hangup, string codec = "PCMU") => new()
    {
        ["RTP_PORT"] = TrunkMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TRUNK_PT"] = codec == "PCMA" ? "8" : codec == "G722" ? "9" : "0",
        ["TRUNK_CODEC"] = codec,
        ["TALK_MS"] = talkMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HANGUP_BLOCK"] = Part(hangup),
    };

    /// <summary>Runs the carrier: SIPp on the trunk's port playing <paramref name="scenario"/> with <paramref name="values"/>.</summary>
    public Task<SippResult> RunTrunkAsync(string scenario, IReadOnlyDictionary<string, string> values) =>
        Sipp.RunAsync(Fill(Scenario(scenario), values), Switch.EndPoint, tcp: false, values, timeLimit: TimeSpan.FromSeconds(30), localPort: TrunkPort);

    /// <summary>Starts the prospect's media: <see cref="TrunkMedia"/> sends <see cref="ProspectPayload"/> to the relay's prospect leg in its negotiated codec.</summary>
    public void StartProspectMedia(B2buaCall call)
    {
        CallMedia media = call.Media ?? throw new InvalidOperationException("the call has no media yet");
        int pt = media.Negotiated(CallParty.Prospect)?.Codec.PayloadType ?? 0;
        TrunkMedia.StartSending(new IPEndPoint(IPAddress.Loopback, media.LocalPort(CallParty.Prospect)), pt, ProspectPayload, ssrc: 0x7777);
    }

    /// <summary>
    /// Runs two SIPp peers: the callee side first (on <paramref name="calleePort"/> when given),
    /// waiting until <paramref name="waitForBinding"/> is registered when given, then the caller side.
    /// Media starts once the call is answered (the agent socket on leg A, the other on leg B).
    /// </summary>
    /// <summary>Registers agent <paramref name="user"/> from SIPp on <paramref name="port"/>, the port its calls will then reach.</summary>
    public async Task RegisterAgentAsync(string user, string password, int port)
    {
        SippResult result = await Sipp.RunAsync(
            Scenario("agent-register"),
            Switch.EndPoint,
            tcp: false,
            new Dictionary<string, string> { ["USER"] = user, ["PASSWORD"] = password },
            timeLimit: TimeSpan.FromSeconds(10),
            localPort: port);
        Assert.True(result.ExitCode == 0, "register: " + result + "\n--- switch log ---\n" + Switch.Log);
        Assert.NotEmpty(Switch.Host.Registrar.GetBindings(user));
    }

    public async Task<(SippResult Caller, SippResult Callee)> RunPairAsync(
        string calleeScenario,
        Dictionary<string, string> calleeValues,
        int? calleePort,
        string callerScenario,
        Dictionary<string, string> callerValues,
        int? callerPort,
        string? waitForBinding = null)
    {
        Task<SippResult> callee = Sipp.RunAsync(Scenario(calleeScenario), Switch.EndPoint, tcp: false, calleeValues, timeLimit: TimeSpan.FromSeconds(30), localPort: calleePort);
        for (int i = 0; i < 100 && (waitForBinding is null ? i < 12 : Switch.Host.Registrar.GetBindings(waitForBinding).Count == 0); i++)
        {
            await Task.Delay(25);
        }

        Task<SippResult> caller = Sipp.RunAsync(Scenario(callerScenario), Switch.EndPoint, tcp: false, callerValues, timeLimit: TimeSpan.FromSeconds(30), localPort: callerPort);
        Task media = StartMediaWhenCallExistsAsync(caller, startMedia: true, onAnswered: null);
        var results = (await caller, await callee);
        await media;
        return results;
    }

    /// <summary>The call, once both legs have negotiated their media (the callee answered); null if <paramref name="until"/> ends first.</summary>
    public async Task<B2buaCall?> WaitForCallAsync(Task until)
    {
        while (!until.IsCompleted)
        {
            if (Switch.Host.Calls.Calls.FirstOrDefault(c => c.Media?.Negotiated(CallParty.Prospect) is not null && c.Media.Negotiated(CallParty.Agent) is not null) is { } call)
            {
                LastCall = call;
                return call;
            }

            await Task.Delay(10);
        }

        return null;
    }

    /// <summary>
    /// The call's recording state as the CRM sees it, through the call-control façade; once the
    /// call has left the live list, its recording side's last state.
    /// </summary>
    public RecordingState RecordingStateOf(B2buaCall call) =>
        Switch.Host.Control.Find(call.Id)?.Recording ?? call.Recording?.State ?? RecordingState.None;

    /// <summary>Waits (polling every 10 ms, <paramref name="limit"/> / 10 ms times) until <see cref="RecordingStateOf"/> is <paramref name="expected"/>; fails with <paramref name="context"/> otherwise.</summary>
    public async Task<RecordingState> RecordingStateAsync(B2buaCall call, RecordingState expected, TimeSpan limit, Func<string>? context = null)
    {
        for (long i = 0; i < limit.Ticks / TimeSpan.TicksPerMillisecond / 10 && RecordingStateOf(call) != expected; i++)
        {
            await Task.Delay(10);
        }

        RecordingState state = RecordingStateOf(call);
        Assert.True(state == expected, $"the recording never became {expected} ({state}){context?.Invoke()}");
        return state;
    }

    /// <summary>
    /// After <see cref="RunAsync"/>: both SIPp peers succeeded, the test's script (started when the
    /// call was answered) finished within 15 s, and the call ended for <paramref name="expected"/>.
    /// </summary>
    public async Task<B2buaCall> EndedAsync(SippResult agent, SippResult trunk, Task script, CallEnd expected)
    {
        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + Switch.Log);
        Assert.True(trunk.ExitCode == 0, "trunk: " + trunk + "\n--- switch log ---\n" + Switch.Log);
        await script.WaitAsync(TimeSpan.FromSeconds(15));
        B2buaCall call = LastCall ?? throw new InvalidOperationException("the call never reached the media stage\n" + Switch.Log);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(expected, call.EndReason);
        return call;
    }

    /// <summary>The call the harness saw last (it stays readable after it ended).</summary>
    public B2buaCall? LastCall { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await AgentMedia.DisposeAsync();
        await TrunkMedia.DisposeAsync();
        await Switch.DisposeAsync();
        if (_ownsSpool && Directory.Exists(SpoolPath))
        {
            Directory.Delete(SpoolPath, recursive: true);
        }

        if (_ownedDataPath is not null && Directory.Exists(_ownedDataPath))
        {
            Directory.Delete(_ownedDataPath, recursive: true);
        }
    }

    /// <summary>A mono 16-bit 16 kHz sine as WAV bytes.</summary>
    public static byte[] Tone(TimeSpan length, double hz)
    {
        using var stream = new MemoryStream();
        using (var writer = new WaveFileWriter(stream, new WaveFormat(16000, 16, 1)))
        {
            int samples = (int)(16000 * length.TotalSeconds);
            for (int i = 0; i < samples; i++)
            {
                writer.WriteSample((float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 16000)));
            }
        }

        return stream.ToArray();
    }

    private async Task StartMediaWhenCallExistsAsync(Task agent, bool startMedia, Action<B2buaCall>? onAnswered)
    {
        B2buaCall? call = await WaitForCallAsync(agent);
        if (call?.Media is not { } media || !startMedia)
        {
            return;
        }

        int agentPort = media.LocalPort(CallParty.Agent);
        int agentPt = media.Negotiated(CallParty.Agent)?.Codec.PayloadType ?? 0;
        AgentMedia.StartSending(new IPEndPoint(IPAddress.Loopback, agentPort), agentPt, AgentPayload);
        StartProspectMedia(call);
        onAnswered?.Invoke(call);
    }

    /// <summary>The payload the agent sends, in the agent's codec (a constant signal no notice frame equals).</summary>
    public Func<int, byte[]> AgentPayload { get; set; } = _ => AgentVoice;

    /// <summary>The payload the prospect sends through the trunk, in the trunk's codec.</summary>
    public Func<int, byte[]> ProspectPayload { get; set; } = _ => ProspectVoice;

    /// <summary>What the agent "says": a G.711 payload no notice frame contains.</summary>
    public static byte[] AgentVoice { get; } = Enumerable.Repeat((byte)0x5A, 160).ToArray();

    /// <summary>What the prospect "says".</summary>
    public static byte[] ProspectVoice { get; } = Enumerable.Repeat((byte)0x3C, 160).ToArray();

    /// <summary>Consecutive 20 ms PCMU frames of a continuous tone (8 kHz, amplitude 8000).</summary>
    public static byte[][] PcmuTone(double hz, int frames) => EncodedTone(hz, frames, AudioCodecInfo.Pcmu);

    /// <summary>Consecutive 20 ms frames of a continuous tone (8 kHz, amplitude 8000) in a G.711 <paramref name="codec"/>.</summary>
    public static byte[][] EncodedTone(double hz, int frames, AudioCodecInfo codec)
    {
        IAudioEncoder encoder = CodecRegistry.Default.CreateEncoder(codec);
        var pcm = new short[160];
        var result = new byte[frames][];
        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < 160; i++)
            {
                pcm[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * hz * ((f * 160) + i) / 8000));
            }

            result[f] = new byte[160];
            encoder.Encode(pcm, result[f]);
        }

        return result;
    }

    internal static string Scenario(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Calls", "Scenarios", name + ".xml"));

    internal static string Part(string? name) => name is null ? string.Empty : Scenario(name + ".part");

    internal static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
