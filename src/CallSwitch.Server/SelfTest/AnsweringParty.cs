using System.Net;
using CallSwitch.Media.Codecs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport.Loopback;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// The built-in answering party that stands in for the carrier behind every trunk of the isolated
/// switch: answers each INVITE at once with 200 and an SDP answer (G.711 or G.722, the offerer's
/// order), then sends the prospect's tone and keeps what it hears; answers BYE, CANCEL and
/// anything else with 200. Calls are told apart by the number dialled.
/// </summary>
/// <remarks>One loop task reads the in-memory network's messages in order; a lock guards the answered calls and their waiters.</remarks>
internal sealed class AnsweringParty : IAsyncDisposable
{
    private const string Tag = "selftest-prospect";
    private static readonly IReadOnlyList<AudioCodec> Codecs = [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.G722, AudioCodec.TelephoneEvent];
    private readonly LoopbackUserAgent _agent;
    private readonly double _hz;
    private readonly Lock _lock = new();
    private readonly List<(string RequestUri, PartyCall Call)> _answered = [];
    private readonly List<(string Number, TaskCompletionSource<PartyCall> Waiter)> _waiters = [];
    private readonly Dictionary<string, (SipResponse Answer, PartyCall Call)> _dialogs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts answering at <paramref name="endPoint"/>; the prospect's tone is <paramref name="hz"/>.</summary>
    public AnsweringParty(LoopbackNetwork network, IPEndPoint endPoint, double hz)
    {
        _agent = new LoopbackUserAgent(network, endPoint);
        _hz = hz;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Why the last INVITE was refused (no codec in common), for the self-test's line; null when none was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The call to <paramref name="number"/> once answered (its media sending).</summary>
    public Task<PartyCall> CallToAsync(string number)
    {
        lock (_lock)
        {
            foreach ((string uri, PartyCall call) in _answered)
            {
                if (uri.Contains(number, StringComparison.Ordinal))
                {
                    return Task.FromResult(call);
                }
            }

            var waiter = new TaskCompletionSource<PartyCall>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((number, waiter));
            return waiter.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        foreach ((_, PartyCall call) in _dialogs.Values)
        {
            call.Media.Dispose();
        }

        await _agent.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            SipMessage message;
            IPEndPoint from;
            try
            {
                (message, from) = await _agent.NextAsync(_ => true, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (message is not SipRequest request || request.Method == SipMethods.Ack)
            {
                continue;
            }

            if (request.Method == SipMethods.Invite)
            {
                await AnswerAsync(request, from).ConfigureAwait(false);
            }
            else
            {
                await _agent.RespondAsync(request, from, 200, Tag).ConfigureAwait(false);
            }
        }
    }

    private async Task AnswerAsync(SipRequest invite, IPEndPoint from)
    {
        string callId = invite.CallId ?? string.Empty;
        if (_dialogs.TryGetValue(callId, out var answered))
        {
            // A retransmitted INVITE: the same answer again (RFC 3261 §17.2.1).
            await _agent.SendAsync(from, answered.Answer).ConfigureAwait(false);
            return;
        }

        var media = new RtpParty("prospect");
        var negotiator = new SdpAudioNegotiator(new SdpAudioNegotiatorOptions(IPAddress.Loopback, media.Port) { Codecs = Codecs });
        SdpAnswerResult? result = SessionDescription.TryParse(invite.BodyText, out SessionDescription? offer, out _) ? negotiator.CreateAnswer(offer) : null;
        if (result?.Audio is not { RemoteRtpEndPoint: { } remote } audio || !CodecRegistry.Default.TryGet(audio.Codec.EncodingName, audio.Codec.ClockRate, out AudioCodecInfo? codec))
        {
            media.Dispose();
            Refusal = $"the built-in answering party speaks {string.Join(", ", Codecs.Where(c => !c.IsTelephoneEvent).Select(c => c.EncodingName))} and was offered: {string.Join(", ", OfferedCodecs(invite))}";
            await _agent.RespondAsync(invite, from, 488).ConfigureAwait(false);
            return;
        }

        var call = new PartyCall(media, codec, audio.Codec.PayloadType);
        SipResponse answer = SipResponseFactory.CreateResponse(invite, 200, toTag: Tag);
        answer.Headers.Add(HeaderId.Contact, $"<sip:prospect@{_agent.EndPoint}>");
        answer.SetBody(result.Answer.ToUtf8Bytes(), "application/sdp");
        _dialogs[callId] = (answer, call);
        await _agent.SendAsync(from, answer).ConfigureAwait(false);
        media.StartSending(remote, codec, call.PayloadType, _hz);
        lock (_lock)
        {
            _answered.Add((invite.RequestUri, call));
            foreach ((string number, TaskCompletionSource<PartyCall> waiter) in _waiters)
            {
                if (invite.RequestUri.Contains(number, StringComparison.Ordinal))
                {
                    waiter.TrySetResult(call);
                }
            }
        }
    }

    private static IEnumerable<string> OfferedCodecs(SipRequest invite) =>
        SessionDescription.TryParse(invite.BodyText, out SessionDescription? offer, out _)
            ? offer.MediaDescriptions.SelectMany(m => m.GetPayloadFormats()).Where(f => !f.IsTelephoneEvent).Select(f => $"{f.EncodingName}/{f.ClockRate}")
            : ["no readable SDP"];
}
