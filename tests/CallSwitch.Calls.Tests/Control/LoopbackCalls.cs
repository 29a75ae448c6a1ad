using System.Globalization;
using System.Net;
using System.Text;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Control;

/// <summary>
/// Real <see cref="B2buaCall"/>s driven in-process: the test plays the agent (its INVITE and
/// re-INVITE go into a transaction layer over a <see cref="FakeSipTransport"/>) and the callee (its
/// answers to the INVITE the call sends), on a real relay, a recording service and fake time (so
/// no timer fires and a notice plays until the test ends).
/// </summary>
internal sealed class LoopbackCalls : IAsyncDisposable
{
    /// <summary>The test collection of every class using loopback calls: they share one relay port range, so they run one at a time.</summary>
    public const string Collection = "loopback calls";

    public const string Agent = "1001";
    public const string Number = "+33612345678";

    // Relay ports 39000-39999 are used by no other suite.
    private static readonly int PortBase = 39000 + (Environment.ProcessId % 9 * 100);
    private static readonly SipMessageParser Parser = new();
    private static readonly IPEndPoint Us = new(IPAddress.Loopback, 5060);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-03-04T10:00:00Z", CultureInfo.InvariantCulture));
    private readonly string _spool = Directory.CreateTempSubdirectory("cs-control-").FullName;
    private readonly FakeSipTransport _transport = new();
    private readonly MediaRelay _relay;
    private readonly MediaClock _clock;
    private readonly SipTransactionLayer _transactions;
    private readonly CallContext _context;
    private readonly Dictionary<string, CallPlan> _plans = new(StringComparer.Ordinal);
    private readonly List<B2buaCall> _dialled = [];
    private int _calls;

    /// <summary>The collection of the supervision classes: they use a block of ports of their own (39900-39998).</summary>
    public const string SupervisionCollection = "supervision loopback calls";

    /// <param name="supervision">True for the supervision classes (their own port block, 127.0.0.2).</param>
    public LoopbackCalls(bool supervision = false)
    {
        int min = supervision ? 39900 : PortBase;
        _relay = new MediaRelay(new MediaRelayOptions { BindAddress = supervision ? IPAddress.Parse("127.0.0.2") : IPAddress.Loopback, MinPort = min, MaxPort = min + 98 }, _time);
        _clock = new MediaClock(_time);
        _transactions = new SipTransactionLayer(_transport, new Core(this), _time);
        _context = new CallContext
        {
            Transactions = _transactions,
            Transport = _transport,
            Relay = _relay,
            Clock = _clock,
            MediaAddress = IPAddress.Loopback,
            Listener = _ => Us,
            Registry = Registry,
            Time = _time,
            Log = Logger.None,
            Recording = new RecordingService(new RecordingVault(_spool, new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate())), _time),
            RtpTimeout = TimeSpan.Zero,
        };
    }

    public CallRegistry Registry { get; } = new();

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>A one-legged RTP end point on the calls' relay (a supervisor's media).</summary>
    public RelayEndpoint CreateEndpoint() => _relay.CreateEndpoint();

    /// <summary>Where INVITEs whose Call-ID starts with "sup-" go (as the switch sends supervision codes), with their dialogs.</summary>
    public CallSwitch.Calls.Supervision.SupervisorCalls? Supervisors { get; set; }

    /// <summary>The call context (for a <see cref="CallSwitch.Calls.Supervision.SupervisorCalls"/>).</summary>
    public CallContext Context => _context;

    /// <summary>Everything the switch sent.</summary>
    public FakeSipTransport Transport => _transport;

    /// <summary>A message from a peer on <paramref name="flow"/>.</summary>
    public void Deliver(byte[] message, SipFlow flow) => _transactions.OnMessage(Parse(message), flow);

    /// <summary>The fake clock of the calls (sessions' and audit times).</summary>
    public TimeProvider Time => _time;

    /// <summary>Moves fake time on (by less than any SIP timer, so that none fires).</summary>
    public void Advance(TimeSpan by) => _time.Advance(by);

    /// <summary>A plan for agent <see cref="Agent"/> calling <see cref="Number"/> in campaign "spring".</summary>
    public static CallPlan Plan(RecordingRule? rule, Announcement? notice = null) => new()
    {
        Agent = Agent,
        Caller = CallParty.Agent,
        ProspectNumber = Number,
        CalleeUri = SipUri.Parse($"sip:{Number}@127.0.0.1")!,
        CalleeFlow = new SipFlow(SipProtocol.Tcp, Us, new IPEndPoint(IPAddress.Loopback, 5070)),
        CalleeFrom = NameAddress.Parse("<sip:+33100000000@127.0.0.1>")!,
        CalleeTo = NameAddress.Parse($"<sip:{Number}@127.0.0.1>")!,
        CalleeCodecs = [AudioCodec.Pcmu, AudioCodec.TelephoneEvent],
        CampaignId = "spring",
        Announcement = notice,
        Recording = rule,
    };

    /// <summary>A one-second notice (fake time never lets it end).</summary>
    public Announcement Notice() =>
        Announcement.FromWaveBytes(File.ReadAllBytes(TestWav.WriteTone(Path.Combine(_spool, "notice.wav"), 1000, TimeSpan.FromSeconds(1))), "notice.wav");

    /// <summary>The agent dials: the call exists and its INVITE is on its way to the callee.</summary>
    public async Task<LoopbackCall> DialAsync(CallPlan plan)
    {
        int n = Interlocked.Increment(ref _calls);
        var call = new LoopbackCall(n);
        lock (_plans)
        {
            _plans[call.CallerCallId] = plan;
        }

        _transactions.OnMessage(Parse(call.Invite()), call.AgentFlow);
        await WaitAsync(() => Registry.Find(call.CallerCallId) is not null && CalleeInvite(call.CallerCallId) is not null);
        call.Call = Registry.Find(call.CallerCallId)!;
        lock (_dialled)
        {
            _dialled.Add(call.Call);
        }

        call.CalleeInvite = CalleeInvite(call.CallerCallId)!;
        return call;
    }

    /// <summary>The callee answers the call's INVITE with <paramref name="status"/> (SDP with a 200); waits until the agent has the answer when it is final.</summary>
    public async Task CalleeAnswersAsync(LoopbackCall call, int status)
    {
        CalleeAnswers(call, call.CalleeInvite, status);
        await AgentAnsweredAsync(call, status);
    }

    /// <summary>Waits until the agent has the call's final answer <paramref name="status"/>; a 200's To tag becomes the agent's side of the dialog.</summary>
    public async Task AgentAnsweredAsync(LoopbackCall call, int status = 200)
    {
        await WaitAsync(() => AgentResponse(call, status) is not null);
        if (status == 200)
        {
            call.OurTag = AgentResponse(call, 200)!.To!.Tag!;
        }
    }

    /// <summary>The agent puts the call on hold (re-INVITE, sendonly); the call answers it and offers hold to the callee.</summary>
    public async Task AgentHoldsAsync(LoopbackCall call)
    {
        _transactions.OnMessage(Parse(call.Reinvite("sendonly")), call.AgentFlow);
        await WaitAsync(() => _transport.Requests(SipMethods.Invite).Any(r => r.CallId == call.CalleeInvite.CallId && r.CSeq!.Value.Number == 2));
    }

    /// <summary>The callee's answer to <paramref name="invite"/> (the call's INVITE or a re-INVITE), handed to the switch on this thread; returns as soon as the switch's receive would.</summary>
    public void CalleeAnswers(LoopbackCall call, SipRequest invite, int status, string direction = "sendrecv")
    {
        SipResponse response = SipResponseFactory.CreateResponse(invite, status, null, "callee" + call.Number);
        response.Headers.Add(HeaderId.Contact, "<sip:callee@127.0.0.1:5070;transport=tcp>");
        if (status == 200)
        {
            response.SetBody(Encoding.UTF8.GetBytes(Sdp(41000, direction)), "application/sdp");
        }

        _transactions.OnMessage(Parse(response.ToBytes()), call.CalleeFlow);
    }

    /// <summary>The INVITEs the call sent the callee (the first, then its re-INVITEs), in order.</summary>
    public List<SipRequest> CalleeInvites(LoopbackCall call) =>
        _transport.Requests(SipMethods.Invite).Where(r => r.CallId == call.CalleeInvite.CallId).ToList();

    /// <summary>The ACKs the call sent the callee.</summary>
    public List<SipRequest> CalleeAcks(LoopbackCall call) =>
        _transport.Requests(SipMethods.Ack).Where(r => r.CallId == call.CalleeInvite.CallId).ToList();

    /// <summary>Waits for <paramref name="condition"/>: the call works on the thread pool.</summary>
    public static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out");
    }

    /// <summary>Hangs up every live call (BYEs go unanswered) and waits until each has left the registry.</summary>
    public async Task HangUpAllAsync()
    {
        foreach (B2buaCall call in Registry.Calls)
        {
            _ = call.HangUpAsync(CallEnd.ShutDown);
        }

        await WaitAsync(() => Registry.Count == 0);
    }

    public async ValueTask DisposeAsync()
    {
        await HangUpAllAsync();

        // A call whose BYEs wait for answers that never come (fake time) still gives its ports
        // back: the classes of this collection share one range.
        lock (_dialled)
        {
            foreach (B2buaCall call in _dialled)
            {
                call.Media?.Dispose();
            }
        }

        _clock.Dispose();
        _relay.Dispose();
        Directory.Delete(_spool, recursive: true);
    }

    private static SipMessage Parse(byte[] bytes) => Parser.Parse(bytes);

    private static string Sdp(int port, string direction) =>
        "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na={direction}\r\n";

    private SipRequest? CalleeInvite(string callerCallId) =>
        Registry.Find(callerCallId) is { } call
            ? _transport.Requests(SipMethods.Invite).FirstOrDefault(r => ReferenceEquals(Registry.Find(r.CallId), call) && r.CallId != callerCallId)
            : null;

    private SipResponse? AgentResponse(LoopbackCall call, int status) =>
        _transport.Responses(status).FirstOrDefault(r => r.CallId == call.CallerCallId && r.CSeq!.Value.Method == SipMethods.Invite);

    /// <summary>The agent's side of one call: its INVITE and re-INVITE as it sends them.</summary>
    internal sealed class LoopbackCall(int number)
    {
        public int Number { get; } = number;

        public string CallerCallId { get; } = $"agent-{number}@127.0.0.1";

        public SipFlow AgentFlow { get; } = new(SipProtocol.Tcp, Us, new IPEndPoint(IPAddress.Loopback, 40000 + number));

        public SipFlow CalleeFlow { get; } = new(SipProtocol.Tcp, Us, new IPEndPoint(IPAddress.Loopback, 5070));

        public B2buaCall Call { get; set; } = null!;

        public SipRequest CalleeInvite { get; set; } = null!;

        public string OurTag { get; set; } = string.Empty;

        public byte[] Invite() => Request(
            $"INVITE sip:0612345678@127.0.0.1 SIP/2.0",
            $"To: <sip:0612345678@127.0.0.1>",
            1,
            "sendrecv");

        public byte[] Reinvite(string direction) => Request(
            "INVITE sip:callswitch@127.0.0.1:5060;transport=tcp SIP/2.0",
            $"To: <sip:0612345678@127.0.0.1>;tag={OurTag}",
            2,
            direction);

        private byte[] Request(string requestLine, string to, int cseq, string direction)
        {
            string sdp = Sdp(40100 + Number, direction);
            string text =
                $"{requestLine}\r\n" +
                $"Via: SIP/2.0/TCP 127.0.0.1:{AgentFlow.Remote.Port};branch=z9hG4bKagent{Number}x{cseq}\r\n" +
                "Max-Forwards: 70\r\n" +
                $"From: <sip:{Agent}@127.0.0.1>;tag=agent{Number}\r\n" +
                $"{to}\r\n" +
                $"Call-ID: {CallerCallId}\r\n" +
                $"CSeq: {cseq} INVITE\r\n" +
                $"Contact: <sip:{Agent}@127.0.0.1:{AgentFlow.Remote.Port};transport=tcp>\r\n" +
                "Content-Type: application/sdp\r\n" +
                $"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n" +
                sdp;
            return Encoding.UTF8.GetBytes(text);
        }
    }

    /// <summary>The transaction user: a new INVITE starts a call with the plan the test gave for its Call-ID; the rest goes to the call, as in the switch.</summary>
    private sealed class Core(LoopbackCalls calls) : ISipTransactionUser
    {
        public void OnRequest(ServerTransaction transaction)
        {
            if (calls.Registry.Find(transaction.Request.CallId) is { } call)
            {
                call.OnRequest(transaction);
                return;
            }

            if (calls.Supervisors is { } supervisors && transaction.Request.CallId!.StartsWith("sup-", StringComparison.Ordinal))
            {
                if (!supervisors.TryHandle(transaction))
                {
                    string user = (transaction.Request.From!.Uri as SipUri)!.User!;
                    Assert.True(supervisors.TryStart((InviteServerTransaction)transaction, user));
                }

                return;
            }

            CallPlan plan;
            lock (calls._plans)
            {
                plan = calls._plans[transaction.Request.CallId!];
            }

            B2buaCall.Start(calls._context, (InviteServerTransaction)transaction, plan);
        }

        public void OnCancel(InviteServerTransaction invite, SipRequest cancel) => calls.Registry.Find(invite.Request.CallId)?.OnCancel();

        public void OnAck(SipRequest ack, SipFlow flow)
        {
            if (calls.Registry.Find(ack.CallId) is { } call)
            {
                call.OnAck(ack);
                return;
            }

            calls.Supervisors?.TryAck(ack);
        }

        public void OnStrayResponse(SipResponse response, SipFlow flow)
        {
        }
    }
}
