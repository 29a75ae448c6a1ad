using System.Net;
using CallSwitch.Media.Codecs;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport.Loopback;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// The built-in agent of a test call: a softphone on the isolated switch's in-memory network that
/// calls a number with its digest credentials (answering the 407 as a phone does), sends the
/// agent's tone once answered, and hangs up.
/// </summary>
/// <remarks>Used by one task at a time: dial, then hang up.</remarks>
internal sealed class DiallingAgent : IAsyncDisposable
{
    private static readonly IReadOnlyList<AudioCodec> Codecs = [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.TelephoneEvent];
    private readonly LoopbackUserAgent _agent;
    private readonly IPEndPoint _switch;
    private readonly string _extension;
    private readonly DigestClient _digest;
    private readonly string _tag = "selftest-agent-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _callId = Guid.NewGuid().ToString("N") + "@selftest";
    private int _cseq;
    private string? _number;
    private string? _remoteTag;
    private string? _target;

    public DiallingAgent(LoopbackNetwork network, IPEndPoint local, IPEndPoint switchEndPoint, DigestAccountHashes credentials)
    {
        _agent = new LoopbackUserAgent(network, local);
        _switch = switchEndPoint;
        _extension = credentials.Username;
        _digest = new DigestClient(credentials);
    }

    /// <summary>The agent's extension (its digest user name).</summary>
    public string Extension => _extension;

    /// <summary>The agent's media: its RTP socket.</summary>
    public RtpParty Media { get; } = new("agent");

    /// <summary>
    /// INVITE to <paramref name="number"/>, the challenge answered; on a 200 the dialog is
    /// acknowledged and the agent's tone (<paramref name="hz"/>) sent. Returns the final response.
    /// </summary>
    public async Task<SipResponse> CallAsync(string number, double hz, CancellationToken cancellationToken)
    {
        _number = number;
        string uri = $"sip:{number}@{_switch}";
        var negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(IPAddress.Loopback, Media.Port) { Codecs = Codecs });
        string offer = negotiator.CreateOffer().ToString();
        string branch = LoopbackUserAgent.Branch();
        await _agent.SendAsync(_switch, Invite(uri, branch, authorization: null), offer).ConfigureAwait(false);
        SipResponse final = await _agent.FinalResponseAsync(SipMethods.Invite, _cseq, cancellationToken).ConfigureAwait(false);
        if (final.StatusCode is 401 or 407)
        {
            await _agent.SendAsync(_switch, Ack(uri, branch, final)).ConfigureAwait(false);
            bool proxy = final.StatusCode == 407;
            DigestClientResult answer = _digest.Answer(final.Headers.GetValues(proxy ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate), SipMethods.Invite, uri);
            if (!answer.IsAnswered)
            {
                return final;
            }

            branch = LoopbackUserAgent.Branch();
            string header = (proxy ? "Proxy-Authorization: " : "Authorization: ") + answer.HeaderValue;
            negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(IPAddress.Loopback, Media.Port) { Codecs = Codecs });
            offer = negotiator.CreateOffer().ToString();
            await _agent.SendAsync(_switch, Invite(uri, branch, header), offer).ConfigureAwait(false);
            final = await _agent.FinalResponseAsync(SipMethods.Invite, _cseq, cancellationToken).ConfigureAwait(false);
        }

        if (!final.IsSuccess)
        {
            await _agent.SendAsync(_switch, Ack(uri, branch, final)).ConfigureAwait(false);
            return final;
        }

        _remoteTag = final.To?.Tag;
        _target = final.GetContacts().FirstOrDefault()?.Address?.Uri.ToString() ?? uri;
        await _agent.SendAsync(_switch, Ack(_target, LoopbackUserAgent.Branch(), final)).ConfigureAwait(false);
        if (!SessionDescription.TryParse(final.BodyText, out SessionDescription? answerSdp, out _)
            || !negotiator.TryProcessAnswer(answerSdp, out NegotiatedAudioStream? audio, out _)
            || audio.RemoteRtpEndPoint is not { } remote
            || !CodecRegistry.Default.TryGet(audio.Codec.EncodingName, audio.Codec.ClockRate, out AudioCodecInfo? codec))
        {
            throw new SelfTestCallException("the switch's answer to the agent has no usable audio");
        }

        Media.StartSending(remote, codec, audio.Codec.PayloadType, hz);
        return final;
    }

    /// <summary>BYE in the dialog of the call; returns the answer's status.</summary>
    public async Task<int> HangUpAsync(CancellationToken cancellationToken)
    {
        int cseq = ++_cseq;
        await _agent.SendAsync(_switch, $"""
            BYE {_target} SIP/2.0
            Via: SIP/2.0/UDP {_agent.EndPoint};branch={LoopbackUserAgent.Branch()};rport
            Max-Forwards: 70
            From: "Self-test" <sip:{_extension}@{_switch.Address}>;tag={_tag}
            To: <sip:{_number}@{_switch.Address}>;tag={_remoteTag}
            Call-ID: {_callId}
            CSeq: {cseq} BYE
            """).ConfigureAwait(false);
        return (await _agent.FinalResponseAsync(SipMethods.Bye, cseq, cancellationToken).ConfigureAwait(false)).StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Media.Dispose();
        await _agent.DisposeAsync().ConfigureAwait(false);
    }

    private string Invite(string uri, string branch, string? authorization) => $"""
        INVITE {uri} SIP/2.0
        Via: SIP/2.0/UDP {_agent.EndPoint};branch={branch};rport
        Max-Forwards: 70
        From: "Self-test" <sip:{_extension}@{_switch.Address}>;tag={_tag}
        To: <sip:{_number}@{_switch.Address}>
        Call-ID: {_callId}
        CSeq: {++_cseq} INVITE
        Contact: <sip:{_extension}@{_agent.EndPoint}>
        User-Agent: CallSwitch self-test
        Content-Type: application/sdp
        {authorization}
        """;

    /// <summary>The ACK of a final answer (RFC 3261 §17.1.1.3 for a failure, §13.2.2.4 for a 2xx), with the INVITE's CSeq number.</summary>
    private string Ack(string uri, string branch, SipResponse answered) => $"""
        ACK {uri} SIP/2.0
        Via: SIP/2.0/UDP {_agent.EndPoint};branch={branch};rport
        Max-Forwards: 70
        From: "Self-test" <sip:{_extension}@{_switch.Address}>;tag={_tag}
        To: <sip:{_number}@{_switch.Address}>;tag={answered.To?.Tag}
        Call-ID: {_callId}
        CSeq: {_cseq} ACK
        """;
}
