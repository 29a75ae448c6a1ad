using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// An <c>a=rtpmap</c> value (RFC 4566 §6): <c>&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]</c>,
/// or the equivalent implied by a static payload type (RFC 3551 §6).
/// </summary>
/// <param name="PayloadType">RTP payload type number, 0–127.</param>
/// <param name="EncodingName">Encoding name as written (compare case-insensitively, RFC 4855 §3).</param>
/// <param name="ClockRate">RTP timestamp clock rate in Hz; not always the sampling rate (G.722 is 8000, RFC 3551 §4.5.2).</param>
/// <param name="Channels">Number of audio channels; 1 when the rtpmap omits it (RFC 4566 §6).</param>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    /// <summary>True for RFC 4733 DTMF events.</summary>
    public bool IsTelephoneEvent => EncodingName.Equals("telephone-event", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the value of an <c>a=rtpmap</c> attribute.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        value = value.Trim();
        var space = value.IndexOf(' ');
        if (space <= 0 || !SdpMediaDescription.TryParsePayloadType(value[..space], out var payloadType))
        {
            return false;
        }

        var encoding = value[(space + 1)..].TrimStart();
        Span<Range> parts = stackalloc Range[4];
        var count = encoding.Split(parts, '/');
        if (count is < 2 or > 3 || encoding[parts[0]].IsEmpty
            || !int.TryParse(encoding[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var clockRate)
            || clockRate == 0)
        {
            return false;
        }

        var channels = 1;
        if (count == 3
            && (!int.TryParse(encoding[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out channels) || channels == 0))
        {
            return false;
        }

        rtpMap = new SdpRtpMap(payloadType, encoding[parts[0]].ToString(), clockRate, channels);
        return true;
    }

    /// <summary>True when both name the same codec: same encoding name (case-insensitive), clock rate and channel count.</summary>
    public bool IsSameCodec(string encodingName, int clockRate, int channels) =>
        EncodingName.Equals(encodingName, StringComparison.OrdinalIgnoreCase)
        && ClockRate == clockRate
        && Channels == channels;

    /// <summary>Formats the attribute value; the channel count is written only when it is not 1, as RFC 4566 §6 suggests.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}");
        return Channels == 1 ? text : text + "/" + Channels.ToString(CultureInfo.InvariantCulture);
    }
}
