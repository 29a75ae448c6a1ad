using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// An <c>a=fmtp</c> value (RFC 4566 §6): the payload type and its format-specific parameters, kept verbatim
/// because their syntax belongs to each codec (<c>annexb=yes</c> for G.729, <c>0-16</c> for telephone-event).
/// </summary>
/// <param name="PayloadType">RTP payload type number.</param>
/// <param name="Parameters">Everything after the payload type and the space.</param>
public sealed record SdpFormatParameters(int PayloadType, string Parameters)
{
    /// <summary>Parses the value of an <c>a=fmtp</c> attribute.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out SdpFormatParameters? parameters)
    {
        parameters = null;
        value = value.Trim();
        var space = value.IndexOf(' ');
        var number = space < 0 ? value : value[..space];
        if (!SdpMediaDescription.TryParsePayloadType(number, out var payloadType))
        {
            return false;
        }

        parameters = new SdpFormatParameters(payloadType, space < 0 ? string.Empty : value[(space + 1)..].Trim().ToString());
        return true;
    }

    /// <summary>
    /// Looks up one <c>name=value</c> pair of a <c>;</c>-separated parameter list (the common convention,
    /// e.g. <c>annexb=yes</c> or <c>minptime=10;useinbandfec=1</c>). Names compare case-insensitively.
    /// </summary>
    public bool TryGetValue(string name, out string? value)
    {
        foreach (var range in Parameters.AsSpan().Split(';'))
        {
            var pair = Parameters.AsSpan()[range].Trim();
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals].TrimEnd();
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim().ToString();
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Formats the attribute value.</summary>
    public override string ToString() =>
        Parameters.Length == 0 ? PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{PayloadType} {Parameters}";
}
