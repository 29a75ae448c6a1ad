namespace CallSwitch.Sip.Sdp;

/// <summary>The answer built for a remote offer, and the audio stream it agrees on.</summary>
/// <param name="Answer">The answer to send; it always has as many <c>m=</c> lines as the offer (RFC 3264 §6).</param>
/// <param name="Audio">The accepted audio stream, or null when every stream was refused (a SIP UA then usually answers 488).</param>
public sealed record SdpAnswerResult(SessionDescription Answer, NegotiatedAudioStream? Audio)
{
    /// <summary>True when an audio stream was accepted.</summary>
    public bool IsAcceptable => Audio is not null;
}
