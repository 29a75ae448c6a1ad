namespace CallSwitch.Sip.Sdp;

/// <summary>Whose order decides the codec when answering an offer (RFC 3264 §6.1 lets the answerer choose).</summary>
public enum SdpCodecPreference
{
    /// <summary>The first codec in the offer's <c>m=</c> line that we serve (the offerer's preference).</summary>
    Offerer,

    /// <summary>Our most preferred codec that appears anywhere in the offer.</summary>
    Local,
}
