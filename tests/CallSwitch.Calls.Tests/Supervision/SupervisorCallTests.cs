using System.Net;
using System.Text;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Supervision;
using CallSwitch.Calls.Tests.Control;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Supervision;

/// <summary>A supervisor's softphone dialling *71/*72/*73 + extension, in-process over the fake transport: answers, keys, BYEs.</summary>
[Collection(LoopbackCalls.SupervisionCollection)]
public sealed class SupervisorCallTests : IAsyncDisposable
{
    private readonly LoopbackCalls _calls = new(supervision: true);
    private readonly MemoryAuditLog _audit = new();
    private readonly CallControl _control;

    public SupervisorCallTests()
    {
        var service = new SupervisionService(
            new TeamSupervisionPolicy(() => TeamSupervisionPolicyTests.Agents),
            new SupervisionAudit(_audit, _calls.Time, Logger.None),
            _calls.Time);
        _control = new CallControl(_calls.Registry, service);
        _calls.Supervisors = new SupervisorCalls(_calls.Context, _control, new SupervisionConfig());
    }

    public ValueTask DisposeAsync() => _calls.DisposeAsync();

    [Fact]
    public async Task TheSwitchAnswersASupervisionCodeAndKeysSwitchModeWithoutANewCall()
    {
        var call = await AnsweredCallAsync();
        var phone = new Softphone("1003", 1);

        _calls.Deliver(phone.Invite("*711001"), phone.Flow);
        SipResponse ok = await ResponseAsync(phone, 200);
        Assert.Contains("m=audio ", Encoding.UTF8.GetString(ok.Body.Span), StringComparison.Ordinal);
        phone.Tag = ok.To!.Tag!;
        _calls.Deliver(phone.Ack(), phone.Flow);
        SupervisionSession session = Assert.Single(_control.SupervisionsOf(call.Call.Id));
        Assert.Equal(SupervisionMode.Listen, session.Mode);

        _calls.Deliver(phone.Info('2'), phone.Flow);
        await LoopbackCalls.WaitAsync(() => session.Mode == SupervisionMode.Whisper);
        _calls.Deliver(phone.Info('3'), phone.Flow);
        await LoopbackCalls.WaitAsync(() => session.Mode == SupervisionMode.Barge);
        _calls.Deliver(phone.Info('9'), phone.Flow);
        await LoopbackCalls.WaitAsync(() => _calls.Transport.Responses(200).Count(r => r.CallId == phone.CallId && r.CSeq!.Value.Method == SipMethods.Info) == 3);
        Assert.Equal(SupervisionMode.Barge, session.Mode);
        Assert.Equal(1, _calls.Supervisors!.Count);
    }

    [Fact]
    public async Task TheSupervisorHangingUpLeavesTheCallGoingOn()
    {
        var call = await AnsweredCallAsync();
        var phone = await JoinedAsync("1003", "*731001");

        _calls.Deliver(phone.Bye(), phone.Flow);

        await LoopbackCalls.WaitAsync(() => _calls.Supervisors!.Count == 0);
        Assert.Empty(_control.SupervisionsOf(call.Call.Id));
        Assert.True(_control.Find(call.Call.Id)!.IsAnswered);
        Assert.Equal(AuditAction.SupervisionEnded, _audit.Events[^1].Action);
    }

    [Fact]
    public async Task TheCallEndingSendsEverySupervisorABye()
    {
        await AnsweredCallAsync();
        var first = await JoinedAsync("1003", "*711001");
        var second = await JoinedAsync("1005", "*721001");

        await _calls.HangUpAllAsync();

        await LoopbackCalls.WaitAsync(() => _calls.Transport.Requests(SipMethods.Bye).Any(r => r.CallId == first.CallId)
            && _calls.Transport.Requests(SipMethods.Bye).Any(r => r.CallId == second.CallId));
    }

    [Theory]
    [InlineData("1004", "*711001", 403)] // another team
    [InlineData("1002", "*711001", 403)] // an agent
    [InlineData("1003", "*711002", 404)] // an agent of the team, not in a call
    public async Task ARefusedOrPointlessCodeIsAnsweredClearly(string supervisor, string dialled, int status)
    {
        await AnsweredCallAsync();
        var phone = new Softphone(supervisor, 9);

        _calls.Deliver(phone.Invite(dialled), phone.Flow);

        SipResponse response = await ResponseAsync(phone, status);
        Assert.Equal(status == 404 ? "Agent Not In Call" : "Forbidden", response.ReasonPhrase);
        Assert.Equal(0, _calls.Supervisors!.Count);
        if (status == 403)
        {
            Assert.Equal(AuditAction.SupervisionRefused, Assert.Single(_audit.Events).Action);
        }
    }

    private async Task<LoopbackCalls.LoopbackCall> AnsweredCallAsync()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(call, 200);
        return call;
    }

    private async Task<Softphone> JoinedAsync(string supervisor, string dialled)
    {
        var phone = new Softphone(supervisor, int.Parse(supervisor, System.Globalization.CultureInfo.InvariantCulture));
        _calls.Deliver(phone.Invite(dialled), phone.Flow);
        phone.Tag = (await ResponseAsync(phone, 200)).To!.Tag!;
        _calls.Deliver(phone.Ack(), phone.Flow);
        return phone;
    }

    private async Task<SipResponse> ResponseAsync(Softphone phone, int status)
    {
        await LoopbackCalls.WaitAsync(() => Find() is not null);
        return Find()!;

        SipResponse? Find() => _calls.Transport.Responses(status).FirstOrDefault(r => r.CallId == phone.CallId && r.CSeq!.Value.Method == SipMethods.Invite);
    }

    /// <summary>A supervisor's softphone over TCP: its INVITE, ACK, INFO keys and BYE as it sends them.</summary>
    private sealed class Softphone(string user, int number)
    {
        private int _cseq = 1;

        public string CallId { get; } = $"sup-{user}-{number}@127.0.0.1";

        public SipFlow Flow { get; } = new(SipProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 45000 + number));

        public string Tag { get; set; } = "";

        public byte[] Invite(string dialled)
        {
            string sdp = "v=0\r\no=sup 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                $"m=audio {46000 + (2 * number)} RTP/AVP 9 0 101\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
            return Request($"INVITE sip:{dialled}@127.0.0.1 SIP/2.0", "", 1, "INVITE", "application/sdp", sdp);
        }

        public byte[] Ack() => Request("ACK sip:callswitch@127.0.0.1:5060;transport=tcp SIP/2.0", $";tag={Tag}", 1, "ACK", null, "");

        public byte[] Info(char key) => Request("INFO sip:callswitch@127.0.0.1:5060;transport=tcp SIP/2.0", $";tag={Tag}", ++_cseq, "INFO", "application/dtmf-relay", $"Signal={key}\r\nDuration=160\r\n");

        public byte[] Bye() => Request("BYE sip:callswitch@127.0.0.1:5060;transport=tcp SIP/2.0", $";tag={Tag}", ++_cseq, "BYE", null, "");

        private byte[] Request(string requestLine, string toTag, int cseq, string method, string? contentType, string body)
        {
            string text =
                $"{requestLine}\r\n" +
                $"Via: SIP/2.0/TCP 127.0.0.1:{Flow.Remote.Port};branch=z9hG4bKsup{number}x{cseq}{method}\r\n" +
                "Max-Forwards: 70\r\n" +
                $"From: <sip:{user}@127.0.0.1>;tag=sup{number}\r\n" +
                $"To: <sip:callswitch@127.0.0.1>{toTag}\r\n" +
                $"Call-ID: {CallId}\r\n" +
                $"CSeq: {cseq} {method}\r\n" +
                $"Contact: <sip:{user}@127.0.0.1:{Flow.Remote.Port};transport=tcp>\r\n" +
                (contentType is null ? "" : $"Content-Type: {contentType}\r\n") +
                $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n" +
                body;
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
