using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// The static audio payload types of RFC 3551 §6 (Table 4), which an offer may list without any
/// <c>a=rtpmap</c> line.
/// </summary>
public static class SdpStaticPayloadTypes
{
    // RFC 3551 Table 4. G722 is listed with an RTP clock of 8000 although it samples at 16000: an
    // error in RFC 1890 kept for compatibility (RFC 3551 §4.5.2). Types 1, 2, 19 are reserved/unassigned.
    private static readonly SdpRtpMap?[] _table = BuildTable();

    /// <summary>Looks up a static audio payload type; false for dynamic, reserved or video types.</summary>
    public static bool TryGet(int payloadType, [NotNullWhen(true)] out SdpRtpMap? rtpMap)
    {
        rtpMap = payloadType >= 0 && payloadType < _table.Length ? _table[payloadType] : null;
        return rtpMap is not null;
    }

    private static SdpRtpMap?[] BuildTable()
    {
        var table = new SdpRtpMap?[35];
        void Add(int pt, string name, int rate, int channels = 1) => table[pt] = new SdpRtpMap(pt, name, rate, channels);
        Add(0, "PCMU", 8000);
        Add(3, "GSM", 8000);
        Add(4, "G723", 8000);
        Add(5, "DVI4", 8000);
        Add(6, "DVI4", 16000);
        Add(7, "LPC", 8000);
        Add(8, "PCMA", 8000);
        Add(9, "G722", 8000);
        Add(10, "L16", 44100, 2);
        Add(11, "L16", 44100);
        Add(12, "QCELP", 8000);
        Add(13, "CN", 8000);
        Add(14, "MPA", 90000);
        Add(15, "G728", 8000);
        Add(16, "DVI4", 11025);
        Add(17, "DVI4", 22050);
        Add(18, "G729", 8000);
        return table;
    }
}
