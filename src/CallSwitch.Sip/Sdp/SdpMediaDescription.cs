using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// One media description (RFC 4566 §5.14): an <c>m=</c> line and the <c>i=</c>, <c>c=</c>, <c>b=</c>,
/// <c>k=</c> and <c>a=</c> lines that follow it, with helpers for the audio attributes a softswitch reads.
/// </summary>
public sealed class SdpMediaDescription
{
    /// <summary>Creates a media description.</summary>
    /// <param name="media">Media type: <c>audio</c>, <c>video</c>, <c>application</c>…</param>
    /// <param name="port">Transport port; 0 marks a rejected or disabled stream (RFC 3264 §5.1, §6).</param>
    /// <param name="protocol">Transport protocol, e.g. <c>RTP/AVP</c>.</param>
    /// <param name="formats">Media formats; RTP payload type numbers for RTP profiles.</param>
    public SdpMediaDescription(string media, int port, string protocol, IEnumerable<string>? formats = null)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        if (formats is not null)
        {
            Formats.AddRange(formats);
        }
    }

    /// <summary>Media type, e.g. <c>audio</c>.</summary>
    public string Media { get; set; }

    /// <summary>Transport port; 0 means the stream is rejected or disabled.</summary>
    public int Port { get; set; }

    /// <summary>Number of ports from <c>&lt;port&gt;/&lt;number of ports&gt;</c>, when present.</summary>
    public int? PortCount { get; set; }

    /// <summary>Transport protocol, e.g. <c>RTP/AVP</c> or <c>RTP/SAVP</c>.</summary>
    public string Protocol { get; set; }

    /// <summary>Media formats, in the order of the <c>m=</c> line (the offerer's preference, RFC 3264 §5.1).</summary>
    public List<string> Formats { get; } = [];

    /// <summary>The <c>i=</c> line, if any.</summary>
    public string? Information { get; set; }

    /// <summary>Media-level <c>c=</c> lines; several only for layered multicast (RFC 4566 §5.7).</summary>
    public List<SdpConnection> Connections { get; } = [];

    /// <summary>Media-level <c>b=</c> lines.</summary>
    public List<SdpBandwidth> Bandwidths { get; } = [];

    /// <summary>The <c>k=</c> line value, verbatim.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Media-level <c>a=</c> lines, in order.</summary>
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>Lines with an unknown type letter, written back after the attributes.</summary>
    public List<SdpLine> ExtraLines { get; } = [];

    /// <summary>True when the port is 0.</summary>
    public bool IsRejected => Port == 0;

    /// <summary>True for <c>m=audio</c>.</summary>
    public bool IsAudio => Media.Equals("audio", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the RTP profiles, whose formats are payload type numbers (RFC 4566 §5.14).</summary>
    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of <c>a=ptime</c> in milliseconds, if present and numeric.</summary>
    public int? Ptime => GetIntegerAttribute("ptime");

    /// <summary>The value of <c>a=maxptime</c> in milliseconds, if present and numeric.</summary>
    public int? MaxPtime => GetIntegerAttribute("maxptime");

    /// <summary>The media-level direction attribute, or null when absent (the session level then applies).</summary>
    public SdpMediaDirection? Direction
    {
        get
        {
            // If several are present (a broken sender), the last one wins, like most stacks do.
            SdpMediaDirection? found = null;
            foreach (var attribute in Attributes)
            {
                if (attribute.Value is null && SdpMediaDirectionExtensions.TryParse(attribute.Name, out var direction))
                {
                    found = direction;
                }
            }

            return found;
        }
    }

    /// <summary>The <c>a=rtcp</c> attribute (RFC 3605), or null if absent or unreadable.</summary>
    public SdpRtcpAttribute? Rtcp =>
        GetAttributeValue("rtcp") is { } value && SdpRtcpAttribute.TryParse(value, out var rtcp) ? rtcp : null;

    /// <summary>True when <c>a=rtcp-mux</c> (RFC 5761 §5.1.1) is present.</summary>
    public bool HasRtcpMux => HasAttribute("rtcp-mux");

    /// <summary>The first media-level connection, or null.</summary>
    public SdpConnection? Connection => Connections.Count > 0 ? Connections[0] : null;

    /// <summary>Parses an RTP payload type number (0–127).</summary>
    public static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out payloadType) && payloadType <= 127;

    /// <summary>True when an attribute of that name (case-insensitive) is present.</summary>
    public bool HasAttribute(string name) => Attributes.Exists(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of the first attribute with that name, or null (also null for a property attribute).</summary>
    public string? GetAttributeValue(string name) =>
        Attributes.Find(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>All <c>a=rtpmap</c> lines that parse.</summary>
    public IReadOnlyList<SdpRtpMap> GetRtpMaps()
    {
        var maps = new List<SdpRtpMap>();
        foreach (var attribute in Attributes)
        {
            if (IsNamed(attribute, "rtpmap") && SdpRtpMap.TryParse(attribute.Value, out var map))
            {
                maps.Add(map);
            }
        }

        return maps;
    }

    /// <summary>
    /// Resolves a payload type: its <c>a=rtpmap</c> if present, otherwise the RFC 3551 static assignment
    /// (an explicit rtpmap wins, which is how RFC 4566 §6 lets a sender restate a static type).
    /// </summary>
    public bool TryGetRtpMap(int payloadType, [NotNullWhen(true)] out SdpRtpMap? rtpMap)
    {
        foreach (var attribute in Attributes)
        {
            if (IsNamed(attribute, "rtpmap") && SdpRtpMap.TryParse(attribute.Value, out var map) && map.PayloadType == payloadType)
            {
                rtpMap = map;
                return true;
            }
        }

        return SdpStaticPayloadTypes.TryGet(payloadType, out rtpMap);
    }

    /// <summary>
    /// The payload formats of the <c>m=</c> line in order, each resolved through rtpmap or the static table.
    /// Formats that cannot be resolved (a dynamic type without rtpmap) are skipped: nobody can use them.
    /// </summary>
    public IReadOnlyList<SdpRtpMap> GetPayloadFormats()
    {
        var result = new List<SdpRtpMap>(Formats.Count);
        if (!IsRtp)
        {
            return result;
        }

        foreach (var format in Formats)
        {
            if (TryParsePayloadType(format, out var payloadType) && TryGetRtpMap(payloadType, out var map))
            {
                result.Add(map);
            }
        }

        return result;
    }

    /// <summary>The <c>a=fmtp</c> for a payload type, if present.</summary>
    public bool TryGetFormatParameters(int payloadType, [NotNullWhen(true)] out SdpFormatParameters? parameters)
    {
        foreach (var attribute in Attributes)
        {
            if (IsNamed(attribute, "fmtp") && SdpFormatParameters.TryParse(attribute.Value, out var fmtp) && fmtp.PayloadType == payloadType)
            {
                parameters = fmtp;
                return true;
            }
        }

        parameters = null;
        return false;
    }

    /// <summary>Replaces any media-level direction attribute with the given one.</summary>
    public void SetDirection(SdpMediaDirection direction)
    {
        var index = Attributes.FindIndex(a => a.Value is null && SdpMediaDirectionExtensions.TryParse(a.Name, out _));
        Attributes.RemoveAll(a => a.Value is null && SdpMediaDirectionExtensions.TryParse(a.Name, out _));
        var attribute = new SdpAttribute(direction.ToAttributeName());
        if (index >= 0 && index <= Attributes.Count)
        {
            Attributes.Insert(index, attribute);
        }
        else
        {
            Attributes.Add(attribute);
        }
    }

    /// <summary>Formats the value part of the <c>m=</c> line.</summary>
    public string FormatMediaLine()
    {
        var port = PortCount is { } count
            ? string.Create(CultureInfo.InvariantCulture, $"{Port}/{count}")
            : Port.ToString(CultureInfo.InvariantCulture);
        var line = $"{Media} {port} {Protocol}";
        return Formats.Count == 0 ? line : line + " " + string.Join(' ', Formats);
    }

    private static bool IsNamed(SdpAttribute attribute, string name) =>
        attribute.Value is not null && attribute.Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    private int? GetIntegerAttribute(string name) =>
        GetAttributeValue(name) is { } value
        && int.TryParse(value.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
