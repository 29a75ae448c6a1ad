using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// RFC 3264 offer/answer for the audio stream of one call leg. It owns the leg's SDP session: the
/// <c>o=</c> session id stays fixed and the version grows by one with every description we write
/// (RFC 3264 §8), the <c>m=</c> line layout never shrinks, and dynamic payload type numbers keep their
/// meaning for the life of the session (RFC 3264 §8.3.2).
/// </summary>
/// <remarks>
/// One audio stream is accepted per session (the first usable <c>m=audio</c> over RTP/AVP); every other
/// stream is refused with port 0. Answers carry a single codec plus, when possible, one telephone-event,
/// which keeps the B2BUA's media path free of codec switching. Not thread-safe: a call leg's signalling
/// is serialized by its dialog.
/// </remarks>
public sealed class SdpAudioNegotiator
{
    private const string _audioProtocol = "RTP/AVP";
    private const int _firstDynamicPayloadType = 96;
    private const int _lastDynamicPayloadType = 127;

    private readonly SdpAudioNegotiatorOptions _options;

    // Dynamic payload type per codec ("name/rate/channels"), stable for the whole session.
    private readonly Dictionary<string, int> _dynamicPayloadTypes = new(StringComparer.OrdinalIgnoreCase);
    private SessionDescription? _lastLocal;
    private int _audioIndex = -1;
    private SessionDescription? _pendingOffer;
    private SdpMediaDirection _pendingDirection;
    private ulong _version;

    /// <summary>Creates the negotiator for one call leg.</summary>
    /// <param name="options">Local address, port and codecs.</param>
    /// <param name="sessionId">The <c>o=</c> session id; random when null (RFC 4566 §5.2 only asks for uniqueness).</param>
    public SdpAudioNegotiator(SdpAudioNegotiatorOptions options, ulong? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        SessionId = sessionId ?? (ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue);
    }

    /// <summary>The <c>o=</c> session id of every description we write.</summary>
    public ulong SessionId { get; }

    /// <summary>The version of the last description we wrote (0 before the first one).</summary>
    public ulong SessionVersion => _version;

    /// <summary>The last offer or answer we wrote; resend it unchanged (same version) for a session refresh.</summary>
    public SessionDescription? LastLocalDescription => _lastLocal;

    /// <summary>True between <see cref="CreateOffer"/> and <see cref="TryProcessAnswer"/>.</summary>
    public bool HasPendingOffer => _pendingOffer is not null;

    /// <summary>The currently negotiated audio stream, or null before the first successful exchange.</summary>
    public NegotiatedAudioStream? Audio { get; private set; }

    /// <summary>
    /// Creates an offer (initial or re-offer) with every codec we serve and one telephone-event per
    /// codec clock rate. A re-offer keeps the earlier <c>m=</c> lines, refused ones with port 0 (RFC 3264 §8).
    /// </summary>
    /// <param name="direction">Our direction; <see cref="SdpMediaDirection.SendOnly"/> puts the call on hold (RFC 3264 §8.4).</param>
    public SessionDescription CreateOffer(SdpMediaDirection direction = SdpMediaDirection.SendReceive)
    {
        var audio = new SdpMediaDescription("audio", _options.RtpPort, _audioProtocol);
        foreach (var (map, parameters) in AssignOfferPayloadTypes())
        {
            AddFormat(audio, map, parameters);
        }

        if (_options.Ptime is { } ptime)
        {
            audio.Attributes.Add(new SdpAttribute("ptime", ptime.ToString(CultureInfo.InvariantCulture)));
        }

        if (_options.RtcpMux)
        {
            audio.Attributes.Add(new SdpAttribute("rtcp-mux"));
        }

        audio.Attributes.Add(new SdpAttribute(direction.ToAttributeName()));

        var offer = NewDescription(_options.LocalAddress);
        if (_lastLocal is not null)
        {
            // Earlier streams we do not carry stay in place, disabled (RFC 3264 §8.1, §8.2).
            foreach (var previous in _lastLocal.MediaDescriptions)
            {
                offer.MediaDescriptions.Add(new SdpMediaDescription(previous.Media, 0, previous.Protocol, previous.Formats));
            }
        }

        var index = _audioIndex >= 0
            ? _audioIndex
            : offer.MediaDescriptions.FindIndex(m => m.IsAudio && m.Protocol.Equals(_audioProtocol, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            offer.MediaDescriptions[index] = audio;
        }
        else
        {
            index = offer.MediaDescriptions.Count;
            offer.MediaDescriptions.Add(audio);
        }

        _audioIndex = index;
        _lastLocal = offer;
        _pendingOffer = offer;
        _pendingDirection = direction;
        return offer;
    }

    /// <summary>
    /// Answers a remote offer (RFC 3264 §6). The first usable audio stream gets one codec we serve, chosen
    /// per <paramref name="preference"/>, with the offerer's payload type numbers; every other stream is
    /// refused with port 0, keeping the number and order of <c>m=</c> lines.
    /// </summary>
    /// <param name="offer">The remote offer.</param>
    /// <param name="direction">What we would like; the answer is the RFC 3264 §6.1 intersection with the offer.</param>
    /// <param name="preference">Whose codec order wins; by default the offerer's.</param>
    public SdpAnswerResult CreateAnswer(
        SessionDescription offer,
        SdpMediaDirection direction = SdpMediaDirection.SendReceive,
        SdpCodecPreference preference = SdpCodecPreference.Offerer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var acceptedIndex = -1;
        SdpRtpMap? codec = null;
        SdpRtpMap? telephoneEvent = null;
        AudioCodec? localCodec = null;
        for (var i = 0; i < offer.MediaDescriptions.Count && acceptedIndex < 0; i++)
        {
            var candidate = offer.MediaDescriptions[i];
            if (IsUsableAudio(candidate) && offer.GetConnection(candidate) is not null
                && TrySelectCodec(candidate, preference, out codec, out localCodec))
            {
                acceptedIndex = i;
                telephoneEvent = SelectTelephoneEvent(candidate.GetPayloadFormats(), codec.ClockRate);
            }
        }

        var offeredConnection = acceptedIndex >= 0 ? offer.GetConnection(offer.MediaDescriptions[acceptedIndex]) : offer.Connection;
        var answer = NewDescription(ChooseAddress(offeredConnection));
        NegotiatedAudioStream? negotiated = null;
        for (var i = 0; i < offer.MediaDescriptions.Count; i++)
        {
            var offered = offer.MediaDescriptions[i];
            if (i != acceptedIndex)
            {
                // RFC 3264 §6: a refused stream is answered with port 0 and the offered media, transport and formats.
                answer.MediaDescriptions.Add(new SdpMediaDescription(offered.Media, 0, offered.Protocol, offered.Formats));
                continue;
            }

            var offeredDirection = EffectiveDirection(offer, offered);
            var answeredDirection = offeredDirection.AnswerTo(direction);
            var rtcpMux = _options.RtcpMux && offered.HasRtcpMux;
            answer.MediaDescriptions.Add(BuildAnsweredAudio(offered, codec!, localCodec!, telephoneEvent, answeredDirection, rtcpMux));
            negotiated = DescribeRemote(offer, offered, i, codec!, telephoneEvent?.PayloadType, answeredDirection, rtcpMux);
            RememberPayloadType(codec!);
            if (telephoneEvent is not null)
            {
                RememberPayloadType(telephoneEvent);
            }
        }

        _lastLocal = answer;
        _audioIndex = acceptedIndex;
        _pendingOffer = null;
        if (negotiated is not null)
        {
            Audio = negotiated;
        }

        return new SdpAnswerResult(answer, negotiated);
    }

    /// <summary>
    /// Processes the answer to our pending offer (RFC 3264 §7): finds the codec the answerer picked among
    /// those we offered, its telephone-event, the remote address, ports and direction. The pending offer is
    /// consumed either way; on failure <see cref="Audio"/> keeps the previous state.
    /// </summary>
    public bool TryProcessAnswer(
        SessionDescription answer,
        [NotNullWhen(true)] out NegotiatedAudioStream? audio,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(answer);
        audio = null;
        var offer = _pendingOffer;
        _pendingOffer = null;
        if (offer is null)
        {
            error = "no offer is outstanding";
            return false;
        }

        if (answer.MediaDescriptions.Count != offer.MediaDescriptions.Count)
        {
            error = $"the answer has {answer.MediaDescriptions.Count} m= lines but the offer had {offer.MediaDescriptions.Count} (RFC 3264 §6)";
            return false;
        }

        var offered = offer.MediaDescriptions[_audioIndex];
        var media = answer.MediaDescriptions[_audioIndex];
        if (!media.IsAudio || !media.Protocol.Equals(offered.Protocol, StringComparison.OrdinalIgnoreCase))
        {
            error = $"m= line {_audioIndex + 1} of the answer is '{media.Media} {media.Protocol}', not the offered audio stream";
            return false;
        }

        if (media.IsRejected)
        {
            error = "the answerer refused the audio stream (port 0)";
            return false;
        }

        if (answer.GetConnection(media) is null)
        {
            error = "the answer has no connection address for the audio stream";
            return false;
        }

        var offeredFormats = offered.GetPayloadFormats();
        var answeredFormats = media.GetPayloadFormats();
        var codec = answeredFormats.FirstOrDefault(a => !a.IsTelephoneEvent
            && offeredFormats.Any(o => o.IsSameCodec(a.EncodingName, a.ClockRate, a.Channels)));
        if (codec is null)
        {
            error = "the answer contains no codec that was offered";
            return false;
        }

        var telephoneEvent = answeredFormats.FirstOrDefault(a => a.IsTelephoneEvent && a.ClockRate == codec.ClockRate
            && offeredFormats.Any(o => o.IsTelephoneEvent && o.ClockRate == a.ClockRate));
        var remoteDirection = EffectiveDirection(answer, media);
        var localDirection = SdpMediaDirectionExtensions.FromCapabilities(
            _pendingDirection.CanSend() && remoteDirection.CanReceive(),
            _pendingDirection.CanReceive() && remoteDirection.CanSend());
        var rtcpMux = _options.RtcpMux && media.HasRtcpMux;
        audio = DescribeRemote(answer, media, _audioIndex, codec, telephoneEvent?.PayloadType, localDirection, rtcpMux);
        Audio = audio;
        error = null;
        return true;
    }

    // The direction the remote party really asks for: an RFC 2543 hold address (c=0.0.0.0) means it
    // cannot receive, whatever its direction attribute says.
    private static SdpMediaDirection EffectiveDirection(SessionDescription sdp, SdpMediaDescription media)
    {
        var direction = sdp.GetDirection(media);
        return sdp.GetConnection(media)?.IsUnspecified == true
            ? SdpMediaDirectionExtensions.FromCapabilities(direction.CanSend(), receive: false)
            : direction;
    }

    private static bool IsUsableAudio(SdpMediaDescription media) =>
        media.IsAudio && !media.IsRejected && media.Protocol.Equals(_audioProtocol, StringComparison.OrdinalIgnoreCase);

    private static void AddFormat(SdpMediaDescription media, SdpRtpMap map, string? parameters)
    {
        var payloadType = map.PayloadType.ToString(CultureInfo.InvariantCulture);
        media.Formats.Add(payloadType);

        // Static types get an rtpmap too: RFC 4566 §6 allows it and it spares the peer a table lookup.
        media.Attributes.Add(new SdpAttribute("rtpmap", map.ToString()));
        if (!string.IsNullOrEmpty(parameters))
        {
            media.Attributes.Add(new SdpAttribute("fmtp", $"{payloadType} {parameters}"));
        }
    }

    private static NegotiatedAudioStream DescribeRemote(
        SessionDescription remote,
        SdpMediaDescription media,
        int index,
        SdpRtpMap codec,
        int? telephoneEventPayloadType,
        SdpMediaDirection localDirection,
        bool rtcpMux)
    {
        var connection = remote.GetConnection(media)!;
        var rtcp = media.Rtcp;
        return new NegotiatedAudioStream
        {
            MediaIndex = index,
            Codec = codec,
            FormatParameters = media.TryGetFormatParameters(codec.PayloadType, out var fmtp) ? fmtp.Parameters : null,
            TelephoneEventPayloadType = telephoneEventPayloadType,
            RemoteAddress = connection.Address,
            RemotePort = media.Port,

            // RFC 5761 §5.1.3 then RFC 3605 §2.1, else the RFC 3550 §11 convention of the next port.
            RemoteRtcpAddress = !rtcpMux && rtcp?.Connection is { } rtcpConnection ? rtcpConnection.Address : connection.Address,
            RemoteRtcpPort = rtcpMux ? media.Port : rtcp?.Port ?? media.Port + 1,
            RtcpMux = rtcpMux,
            LocalDirection = localDirection,
            RemoteDirection = EffectiveDirection(remote, media),
            RemoteOnHold = remote.IsOnHold(media),
            Ptime = media.Ptime,
        };
    }

    private static string CodecKey(string encodingName, int clockRate, int channels) =>
        string.Create(CultureInfo.InvariantCulture, $"{encodingName}/{clockRate}/{channels}");

    private bool TrySelectCodec(
        SdpMediaDescription media,
        SdpCodecPreference preference,
        [NotNullWhen(true)] out SdpRtpMap? codec,
        [NotNullWhen(true)] out AudioCodec? localCodec)
    {
        var offered = media.GetPayloadFormats().Where(f => !f.IsTelephoneEvent).ToList();
        var ours = _options.Codecs.Where(c => !c.IsTelephoneEvent).ToList();
        if (preference == SdpCodecPreference.Offerer)
        {
            foreach (var format in offered)
            {
                localCodec = ours.Find(c => c.Matches(format));
                if (localCodec is not null)
                {
                    codec = format;
                    return true;
                }
            }
        }
        else
        {
            foreach (var candidate in ours)
            {
                codec = offered.Find(candidate.Matches);
                if (codec is not null)
                {
                    localCodec = candidate;
                    return true;
                }
            }
        }

        codec = null;
        localCodec = null;
        return false;
    }

    // RFC 4733 §2.1: the event clock is the audio clock, so pick the offered telephone-event whose rate
    // equals the chosen codec's RTP clock rate (8000 for G.722, 48000 for opus).
    private SdpRtpMap? SelectTelephoneEvent(IReadOnlyList<SdpRtpMap> offered, int clockRate) =>
        offered.FirstOrDefault(f => f.IsTelephoneEvent && f.ClockRate == clockRate
            && _options.Codecs.Any(c => c.IsTelephoneEvent && c.Matches(f)));

    private SdpMediaDescription BuildAnsweredAudio(
        SdpMediaDescription offered,
        SdpRtpMap codec,
        AudioCodec localCodec,
        SdpRtpMap? telephoneEvent,
        SdpMediaDirection direction,
        bool rtcpMux)
    {
        var media = new SdpMediaDescription("audio", _options.RtpPort, offered.Protocol);
        AddFormat(media, codec, localCodec.FormatParameters ?? OfferedParameters(offered, codec.PayloadType));
        if (telephoneEvent is not null)
        {
            var localEvent = _options.Codecs.First(c => c.IsTelephoneEvent && c.Matches(telephoneEvent));
            AddFormat(media, telephoneEvent, localEvent.FormatParameters ?? OfferedParameters(offered, telephoneEvent.PayloadType));
        }

        // Echo the offerer's packetization so both directions use the same frame size.
        if (offered.Ptime is { } ptime)
        {
            media.Attributes.Add(new SdpAttribute("ptime", ptime.ToString(CultureInfo.InvariantCulture)));
        }

        if (rtcpMux)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-mux"));
        }

        media.Attributes.Add(new SdpAttribute(direction.ToAttributeName()));
        return media;
    }

    private static string? OfferedParameters(SdpMediaDescription offered, int payloadType) =>
        offered.TryGetFormatParameters(payloadType, out var fmtp) ? fmtp.Parameters : null;

    private List<(SdpRtpMap Map, string? Parameters)> AssignOfferPayloadTypes()
    {
        var used = new HashSet<int>();
        foreach (var codec in _options.Codecs)
        {
            if (codec.StaticPayloadType is { } number)
            {
                used.Add(number);
            }
        }

        var result = new List<(SdpRtpMap Map, string? Parameters)>();
        var rates = new List<int>();
        foreach (var codec in _options.Codecs.Where(c => !c.IsTelephoneEvent))
        {
            var payloadType = codec.StaticPayloadType
                ?? AllocateDynamic(CodecKey(codec.EncodingName, codec.ClockRate, codec.Channels), codec.PreferredPayloadType, used);
            if (payloadType is null || result.Exists(r => r.Map.PayloadType == payloadType))
            {
                continue;
            }

            result.Add((new SdpRtpMap(payloadType.Value, codec.EncodingName, codec.ClockRate, codec.Channels), codec.FormatParameters));
            if (!rates.Contains(codec.ClockRate))
            {
                rates.Add(codec.ClockRate);
            }
        }

        foreach (var rate in rates)
        {
            var events = _options.Codecs.FirstOrDefault(c => c.IsTelephoneEvent && (c.ClockRate == 0 || c.ClockRate == rate));
            if (events is not null
                && AllocateDynamic(CodecKey(events.EncodingName, rate, 1), events.PreferredPayloadType, used) is { } payloadType)
            {
                result.Add((new SdpRtpMap(payloadType, events.EncodingName, rate), events.FormatParameters));
            }
        }

        return result;
    }

    private int? AllocateDynamic(string key, int? preferred, HashSet<int> used)
    {
        if (_dynamicPayloadTypes.TryGetValue(key, out var known) && used.Add(known))
        {
            return known;
        }

        var reserved = _dynamicPayloadTypes.Values.ToHashSet();
        if (preferred is { } wanted && !used.Contains(wanted) && !reserved.Contains(wanted))
        {
            used.Add(wanted);
            _dynamicPayloadTypes[key] = wanted;
            return wanted;
        }

        for (var candidate = _firstDynamicPayloadType; candidate <= _lastDynamicPayloadType; candidate++)
        {
            if (!used.Contains(candidate) && !reserved.Contains(candidate))
            {
                used.Add(candidate);
                _dynamicPayloadTypes[key] = candidate;
                return candidate;
            }
        }

        return null;
    }

    private void RememberPayloadType(SdpRtpMap map)
    {
        if (map.PayloadType < _firstDynamicPayloadType)
        {
            return;
        }

        // The offerer's numbering becomes the session's (RFC 3264 §8.3.2); drop any codec that held the number.
        var key = CodecKey(map.EncodingName, map.ClockRate, map.Channels);
        foreach (var stale in _dynamicPayloadTypes.Where(p => p.Value == map.PayloadType && p.Key != key).Select(p => p.Key).ToList())
        {
            _dynamicPayloadTypes.Remove(stale);
        }

        _dynamicPayloadTypes[key] = map.PayloadType;
    }

    private IPAddress ChooseAddress(SdpConnection? remote)
    {
        // Answer in the remote family when we have an address of it, so an IPv6 offer gets an IPv6 answer.
        var wantIPv6 = remote?.IsIPv6 == true;
        var primaryIsIPv6 = _options.LocalAddress.AddressFamily == AddressFamily.InterNetworkV6;
        if (wantIPv6 != primaryIsIPv6 && _options.AlternateAddress is { } alternate
            && (alternate.AddressFamily == AddressFamily.InterNetworkV6) == wantIPv6)
        {
            return alternate;
        }

        return _options.LocalAddress;
    }

    private SessionDescription NewDescription(IPAddress mediaAddress)
    {
        // RFC 3264 §8: each new description of the session carries the next version.
        _version++;
        var local = _options.LocalAddress;
        var origin = new SdpOrigin(
            _options.UserName,
            SessionId,
            _version,
            "IN",
            local.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4",
            local.ToString());
        var sdp = new SessionDescription(origin, _options.SessionName) { Connection = SdpConnection.FromAddress(mediaAddress) };
        sdp.Timings.Add(new SdpTiming());
        return sdp;
    }
}
