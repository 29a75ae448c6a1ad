using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CallSwitch.Sip.Sdp;

/// <summary>
/// A session description (RFC 4566): the session-level lines and the media descriptions, in a mutable model
/// that round-trips through <see cref="TryParse(ReadOnlySpan{char}, out SessionDescription?, out string?)"/>
/// and <see cref="ToString"/>.
/// </summary>
public sealed class SessionDescription
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates a description with the given origin and session name.</summary>
    public SessionDescription(SdpOrigin origin, string sessionName = "-")
    {
        Origin = origin;
        SessionName = sessionName;
    }

    /// <summary>The <c>v=</c> value; RFC 4566 defines only version 0.</summary>
    public int Version => 0;

    /// <summary>The <c>o=</c> line.</summary>
    public SdpOrigin Origin { get; set; }

    /// <summary>The <c>s=</c> line; <c>-</c> when the session has no name (RFC 3264 §5).</summary>
    public string SessionName { get; set; }

    /// <summary>The session-level <c>i=</c> line, if any.</summary>
    public string? Information { get; set; }

    /// <summary>The <c>u=</c> line, if any.</summary>
    public string? Uri { get; set; }

    /// <summary>The <c>e=</c> lines.</summary>
    public List<string> Emails { get; } = [];

    /// <summary>The <c>p=</c> lines.</summary>
    public List<string> Phones { get; } = [];

    /// <summary>The session-level <c>c=</c> line, the default for media without their own.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary>Session-level <c>b=</c> lines.</summary>
    public List<SdpBandwidth> Bandwidths { get; } = [];

    /// <summary>The <c>t=</c> lines with their <c>r=</c> lines. Written as <c>t=0 0</c> when empty.</summary>
    public List<SdpTiming> Timings { get; } = [];

    /// <summary>The <c>z=</c> line value, verbatim.</summary>
    public string? TimeZones { get; set; }

    /// <summary>The session-level <c>k=</c> line value, verbatim.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Session-level <c>a=</c> lines, in order.</summary>
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>Session-level lines with an unknown type letter, written back before the first <c>m=</c>.</summary>
    public List<SdpLine> ExtraLines { get; } = [];

    /// <summary>The media descriptions, in order (their position is their identity in RFC 3264).</summary>
    public List<SdpMediaDescription> MediaDescriptions { get; } = [];

    /// <summary>The session-level direction attribute, or null when absent.</summary>
    public SdpMediaDirection? Direction
    {
        get
        {
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

    /// <summary>
    /// Parses a session description. Accepts CRLF or bare LF line endings, trailing white space and blank
    /// lines; refuses anything that is not SDP with a message that names the offending line.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<char> text,
        [NotNullWhen(true)] out SessionDescription? sdp,
        [NotNullWhen(false)] out string? error) =>
        SdpParser.TryParse(text, out sdp, out error);

    /// <summary>Parses a UTF-8 session description (RFC 4566 §5: the default charset is ISO-10646 in UTF-8).</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8,
        [NotNullWhen(true)] out SessionDescription? sdp,
        [NotNullWhen(false)] out string? error)
    {
        string text;
        try
        {
            text = _strictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            sdp = null;
            error = "session description is not valid UTF-8";
            return false;
        }

        return SdpParser.TryParse(text, out sdp, out error);
    }

    /// <summary>Parses a session description, throwing <see cref="FormatException"/> when it is invalid.</summary>
    public static SessionDescription Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var sdp, out var error) ? sdp : throw new FormatException("Invalid SDP: " + error);

    /// <summary>The direction that applies to a media description: its own attribute, else the session's, else sendrecv (RFC 4566 §6).</summary>
    public SdpMediaDirection GetDirection(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Direction ?? Direction ?? SdpMediaDirection.SendReceive;
    }

    /// <summary>The connection that applies to a media description: its own <c>c=</c>, else the session's.</summary>
    public SdpConnection? GetConnection(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Connection ?? Connection;
    }

    /// <summary>
    /// True when the writer of this description holds the stream: the RFC 2543 style <c>c=0.0.0.0</c>, or an
    /// effective direction of sendonly or inactive (RFC 3264 §8.4).
    /// </summary>
    public bool IsOnHold(SdpMediaDescription media)
    {
        var direction = GetDirection(media);
        return GetConnection(media)?.IsUnspecified == true
            || direction is SdpMediaDirection.SendOnly or SdpMediaDirection.Inactive;
    }

    /// <summary>True when a session-level attribute of that name is present.</summary>
    public bool HasAttribute(string name) => Attributes.Exists(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Writes the description with CRLF line endings, in the order of RFC 4566 §5.</summary>
    public override string ToString() => SdpWriter.Write(this);

    /// <summary>Writes the description as UTF-8 bytes, ready for a SIP body.</summary>
    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToString());
}
