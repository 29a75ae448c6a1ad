using CallSwitch.Media.Codecs;

namespace CallSwitch.Server.SelfTest;

/// <summary>One built-in party's side of an answered test call: its media and the codec the offer/answer settled on.</summary>
/// <param name="Media">The party's RTP socket: what it sends and what it received.</param>
/// <param name="Codec">The negotiated audio codec.</param>
/// <param name="PayloadType">Its payload type in this call.</param>
internal sealed record PartyCall(RtpParty Media, AudioCodecInfo Codec, int PayloadType);
