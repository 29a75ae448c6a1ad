using System.Net;
using System.Text.RegularExpressions;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.TestSupport.Media;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// An agent's softphone on the in-memory network: registers and calls with digest credentials,
/// hangs up or answers the far end's BYE; its media is a real RTP socket on loopback.
/// </summary>
internal sealed partial class AgentPhone : IAsyncDisposable
{
    private readonly LoopbackPhone _phone;
    private readonly string _user;
    private readonly DigestClient _digest;
    private readonly string _tag = "agent" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _callId = Guid.NewGuid().ToString("N") + "@agent";
    private int _cseq;
    private string? _remoteTag;
    private string? _remoteTarget;

    public AgentPhone(InProcessSwitch sw, string user, string password)
    {
        _phone = new LoopbackPhone(sw.Network, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5060));
        _user = user;
        _digest = new DigestClient(user, password);
    }

    public LoopbackPhone Sip => _phone;

    public RtpPeer Media { get; } = new();

    /// <summary>The relay's port for this phone, from the switch's SDP answer.</summary>
    public int RelayPort { get; private set; }

    private static IPEndPoint Switch => InProcessSwitch.SwitchEndPoint;

    private string Local => $"{_phone.EndPoint}";

    /// <summary>REGISTER, answered with credentials when challenged; returns the challenge and the final answer.</summary>
    public async Task<(SipResponse Challenge, SipResponse Final)> RegisterAsync()
    {
        string callId = Guid.NewGuid().ToString("N") + "@reg";
        await _phone.SendAsync(Switch, Register(callId, 1, authorization: null));
        SipResponse challenge = await _phone.ResponseAsync("REGISTER");
        DigestClientResult answer = _digest.Answer(challenge.Headers.GetValues(HeaderId.WwwAuthenticate), "REGISTER", $"sip:{Switch}");
        Assert.True(answer.IsAnswered, answer.Reason);
        await _phone.SendAsync(Switch, Register(callId, 2, answer.HeaderValue));
        return (challenge, await _phone.ResponseAsync("REGISTER"));
    }

    /// <summary>
    /// INVITE to <paramref name="number"/>; the 407 is acknowledged and the INVITE sent again with
    /// credentials. Returns the challenge and the final answer to the second INVITE (acknowledged
    /// too; on a 200 the dialog is then up and the relay's port known).
    /// </summary>
    public async Task<(SipResponse Challenge, SipResponse Final)> CallAsync(string number)
    {
        string uri = $"sip:{number}@{Switch}";
        string first = Branch();
        await _phone.SendAsync(Switch, Invite(uri, number, first, authorization: null), Sdp());
        SipResponse challenge = await _phone.ResponseAsync("INVITE", branch: first);
        await _phone.SendAsync(Switch, Ack(uri, number, first, challenge, cseq: _cseq));

        DigestClientResult answer = _digest.Answer(challenge.Headers.GetValues(HeaderId.ProxyAuthenticate), "INVITE", uri);
        Assert.True(answer.IsAnswered, answer.Reason);
        string second = Branch();
        await _phone.SendAsync(Switch, Invite(uri, number, second, answer.HeaderValue), Sdp());
        SipResponse final = await _phone.ResponseAsync("INVITE", branch: second);
        if (!final.IsSuccess)
        {
            await _phone.SendAsync(Switch, Ack(uri, number, second, final, cseq: _cseq));
            return (challenge, final);
        }

        _remoteTag = final.To?.Tag;
        string target = final.GetContacts()[0].Address!.Uri.ToString() ?? uri;
        _remoteTarget = target;
        RelayPort = int.Parse(AudioPort().Match(final.BodyText).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await _phone.SendAsync(Switch, Ack(target, number, Branch(), final, cseq: _cseq));
        return (challenge, final);
    }

    /// <summary>BYE in the dialog of the last call; returns the answer.</summary>
    public async Task<SipResponse> HangUpAsync(string number)
    {
        await _phone.SendAsync(Switch, $"""
            BYE {_remoteTarget} SIP/2.0
            Via: SIP/2.0/UDP {Local};branch={Branch()};rport
            Max-Forwards: 70
            From: "Agent" <sip:{_user}@{Switch.Address}>;tag={_tag}
            To: <sip:{number}@{Switch.Address}>;tag={_remoteTag}
            Call-ID: {_callId}
            CSeq: {++_cseq} BYE
            """);
        return await _phone.ResponseAsync("BYE");
    }

    /// <summary>Waits for the switch's BYE and answers 200.</summary>
    public Task<SipRequest> AnswerByeAsync() => _phone.AnswerOkAsync("BYE");

    public async ValueTask DisposeAsync()
    {
        await Media.DisposeAsync();
        await _phone.DisposeAsync();
    }

    private static string Branch() => "z9hG4bK" + Guid.NewGuid().ToString("N");

    private string Register(string callId, int cseq, string? authorization) => $"""
        REGISTER sip:{Switch} SIP/2.0
        Via: SIP/2.0/UDP {Local};branch={Branch()};rport
        Max-Forwards: 70
        From: <sip:{_user}@{Switch.Address}>;tag={_tag}
        To: <sip:{_user}@{Switch.Address}>
        Call-ID: {callId}
        CSeq: {cseq} REGISTER
        Contact: <sip:{_user}@{Local}>
        Expires: 300
        {(authorization is null ? string.Empty : "Authorization: " + authorization)}
        """;

    private string Invite(string uri, string number, string branch, string? authorization) => $"""
        INVITE {uri} SIP/2.0
        Via: SIP/2.0/UDP {Local};branch={branch};rport
        Max-Forwards: 70
        From: "Agent" <sip:{_user}@{Switch.Address}>;tag={_tag}
        To: <sip:{number}@{Switch.Address}>
        Call-ID: {_callId}
        CSeq: {++_cseq} INVITE
        Contact: <sip:{_user}@{Local}>
        Content-Type: application/sdp
        {(authorization is null ? string.Empty : "Proxy-Authorization: " + authorization)}
        """;

    private string Ack(string uri, string number, string branch, SipResponse answered, int cseq) => $"""
        ACK {uri} SIP/2.0
        Via: SIP/2.0/UDP {Local};branch={branch};rport
        Max-Forwards: 70
        From: "Agent" <sip:{_user}@{Switch.Address}>;tag={_tag}
        To: <sip:{number}@{Switch.Address}>;tag={answered.To?.Tag}
        Call-ID: {_callId}
        CSeq: {cseq} ACK
        """;

    private string Sdp() => PcmuSdp(Media.Port);

    /// <summary>An audio SDP on 127.0.0.1:<paramref name="rtpPort"/> offering or answering PCMU and telephone events, with CRLF lines.</summary>
    internal static string PcmuSdp(int rtpPort) => $"""
        v=0
        o=- 1 1 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio {rtpPort} RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20

        """.ReplaceLineEndings("\r\n");

    [GeneratedRegex(@"m=audio (\d+) ")]
    internal static partial Regex AudioPort();
}
