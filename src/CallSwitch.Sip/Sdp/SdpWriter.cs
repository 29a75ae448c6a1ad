using System.Text;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// Writes a <see cref="SessionDescription"/> with CRLF line endings in the order fixed by RFC 4566 §5:
/// v o s i u e p c b (t r) z k a, then per media m i c b k a. Lines of unknown type come last in their section.
/// </summary>
internal static class SdpWriter
{
    public static string Write(SessionDescription sdp)
    {
        var builder = new StringBuilder(512);
        Line(builder, 'v', "0");
        Line(builder, 'o', sdp.Origin.ToString());
        Line(builder, 's', sdp.SessionName);
        Optional(builder, 'i', sdp.Information);
        Optional(builder, 'u', sdp.Uri);
        foreach (var email in sdp.Emails)
        {
            Line(builder, 'e', email);
        }

        foreach (var phone in sdp.Phones)
        {
            Line(builder, 'p', phone);
        }

        if (sdp.Connection is not null)
        {
            Line(builder, 'c', sdp.Connection.ToString());
        }

        foreach (var bandwidth in sdp.Bandwidths)
        {
            Line(builder, 'b', bandwidth.ToString());
        }

        if (sdp.Timings.Count == 0)
        {
            // t= is mandatory (RFC 4566 §5); "0 0" is what RFC 3264 §5 prescribes for SIP.
            Line(builder, 't', "0 0");
        }

        foreach (var timing in sdp.Timings)
        {
            Line(builder, 't', timing.ToString());
            foreach (var repeat in timing.RepeatTimes)
            {
                Line(builder, 'r', repeat);
            }
        }

        Optional(builder, 'z', sdp.TimeZones);
        Optional(builder, 'k', sdp.EncryptionKey);
        foreach (var attribute in sdp.Attributes)
        {
            Line(builder, 'a', attribute.ToString());
        }

        foreach (var extra in sdp.ExtraLines)
        {
            Line(builder, extra.Type, extra.Value);
        }

        foreach (var media in sdp.MediaDescriptions)
        {
            WriteMedia(builder, media);
        }

        return builder.ToString();
    }

    private static void WriteMedia(StringBuilder builder, SdpMediaDescription media)
    {
        Line(builder, 'm', media.FormatMediaLine());
        Optional(builder, 'i', media.Information);
        foreach (var connection in media.Connections)
        {
            Line(builder, 'c', connection.ToString());
        }

        foreach (var bandwidth in media.Bandwidths)
        {
            Line(builder, 'b', bandwidth.ToString());
        }

        Optional(builder, 'k', media.EncryptionKey);
        foreach (var attribute in media.Attributes)
        {
            Line(builder, 'a', attribute.ToString());
        }

        foreach (var extra in media.ExtraLines)
        {
            Line(builder, extra.Type, extra.Value);
        }
    }

    private static void Optional(StringBuilder builder, char type, string? value)
    {
        if (value is not null)
        {
            Line(builder, type, value);
        }
    }

    private static void Line(StringBuilder builder, char type, string value) =>
        builder.Append(type).Append('=').Append(value).Append("\r\n");
}
