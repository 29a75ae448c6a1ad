using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// An <c>a=rtcp</c> value (RFC 3605 §2.1): the RTCP port, and optionally its address, when RTCP does not
/// use the RTP port + 1 (typically behind a NAT).
/// </summary>
/// <param name="Port">RTCP port.</param>
/// <param name="Connection">RTCP address when given (<c>a=rtcp:53020 IN IP4 126.16.64.4</c>), otherwise null.</param>
public sealed record SdpRtcpAttribute(int Port, SdpConnection? Connection = null)
{
    /// <summary>Parses the value of an <c>a=rtcp</c> attribute.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out SdpRtcpAttribute? rtcp)
    {
        rtcp = null;
        value = value.Trim();
        var space = value.IndexOf(' ');
        var portText = space < 0 ? value : value[..space];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        SdpConnection? connection = null;
        if (space >= 0 && !SdpConnection.TryParse(value[(space + 1)..], out connection, out _))
        {
            return false;
        }

        rtcp = new SdpRtcpAttribute(port, connection);
        return true;
    }

    /// <summary>Formats the attribute value.</summary>
    public override string ToString() =>
        Connection is null
            ? Port.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Port} {Connection}");
}
