namespace CallSwitch.Media.Rtp;

/// <summary>RTCP packet types (RFC 3550 §12.1).</summary>
public enum RtcpPacketType : byte
{
    /// <summary>Sender report (§6.4.1).</summary>
    SenderReport = 200,

    /// <summary>Receiver report (§6.4.2).</summary>
    ReceiverReport = 201,

    /// <summary>Source description (§6.5).</summary>
    SourceDescription = 202,

    /// <summary>Goodbye (§6.6).</summary>
    Goodbye = 203,

    /// <summary>Application-defined (§6.7).</summary>
    ApplicationDefined = 204,
}
