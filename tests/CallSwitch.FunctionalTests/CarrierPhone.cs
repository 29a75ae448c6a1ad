using System.Net;
using CallSwitch.Sip.Messages;
using CallSwitch.TestSupport.Media;

namespace CallSwitch.FunctionalTests;

/// <summary>The carrier behind the trunk, on the in-memory network: answers the switch's INVITE, and hangs up or answers the BYE. Its media (the prospect) is a real RTP socket on loopback.</summary>
internal sealed class CarrierPhone : IAsyncDisposable
{
    private const string Tag = "carrier1";
    private readonly LoopbackPhone _phone;
    private SipRequest? _invite;
    private IPEndPoint? _switch;

    public CarrierPhone(InProcessSwitch sw) => _phone = new LoopbackPhone(sw.Network, InProcessSwitch.CarrierEndPoint);

    public LoopbackPhone Sip => _phone;

    public RtpPeer Media { get; } = new();

    /// <summary>The INVITE the switch sent (once answered).</summary>
    public SipRequest Invite => _invite ?? throw new InvalidOperationException("no INVITE answered yet");

    /// <summary>The relay's port for the prospect, from the switch's SDP offer.</summary>
    public int RelayPort { get; private set; }

    /// <summary>Waits for the switch's INVITE, answers 200 with this side's SDP, and waits for the ACK.</summary>
    public async Task AnswerAsync()
    {
        var (invite, from) = await _phone.RequestAsync("INVITE");
        _invite = invite;
        _switch = from;
        RelayPort = int.Parse(AgentPhone.AudioPort().Match(invite.BodyText).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await _phone.RespondAsync(invite, from, 200, Tag, contact: $"<sip:carrier@{_phone.EndPoint}>", sdp: AgentPhone.PcmuSdp(Media.Port));
        Ack = (await _phone.RequestAsync("ACK")).Request;
    }

    /// <summary>The switch's ACK of the answer (once answered).</summary>
    public SipRequest? Ack { get; private set; }

    /// <summary>
    /// Answers the switch's INVITE again and returns the ACK that comes for it: the same 200, as a
    /// carrier resends it while no ACK came, or with another To tag (<paramref name="tag"/>), as a
    /// second branch of a forked INVITE answers.
    /// </summary>
    public async Task<SipRequest> AnswerAgainAsync(string tag = Tag)
    {
        await _phone.RespondAsync(Invite, _switch!, 200, tag, contact: $"<sip:carrier@{_phone.EndPoint}>", sdp: AgentPhone.PcmuSdp(Media.Port));
        return (await _phone.RequestAsync("ACK")).Request;
    }

    /// <summary>The prospect hangs up: BYE in the dialog; returns the answer.</summary>
    public async Task<SipResponse> HangUpAsync()
    {
        SipRequest invite = Invite;
        string target = invite.GetContacts()[0].Address!.Uri.ToString() ?? throw new InvalidOperationException("the INVITE has no Contact");
        await _phone.SendAsync(_switch!, $"""
            BYE {target} SIP/2.0
            Via: SIP/2.0/UDP {_phone.EndPoint};branch=z9hG4bK{Guid.NewGuid():N}
            Max-Forwards: 70
            From: {invite.Headers[HeaderId.To]};tag={Tag}
            To: {invite.Headers[HeaderId.From]}
            Call-ID: {invite.CallId}
            CSeq: 1 BYE
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
}
