using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Parsing;

/// <summary>What <see cref="SipRequestValidator"/> accepts; set from the switch's configuration.</summary>
public sealed record SipValidatorOptions
{
    /// <summary>Option tags the switch implements; any other tag in Require (or Proxy-Require) gets a 420 (RFC 3261 §8.2.2.3).</summary>
    public IReadOnlySet<string> SupportedOptionTags { get; init; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "100rel", "timer", "replaces", "path", "norefersub" };

    /// <summary>
    /// Methods the switch serves. A method the stack does not know at all gets 501; a known one
    /// that is not in this set gets 405 with an Allow header (RFC 3261 §8.2.1, §21.5.2).
    /// </summary>
    public IReadOnlySet<string> AllowedMethods { get; init; } = new HashSet<string>(SipMethods.All, StringComparer.Ordinal);

    /// <summary>Body types the switch understands; another gets 415 with an Accept header (RFC 3261 §8.2.3).</summary>
    public IReadOnlyList<string> AcceptedContentTypes { get; init; } =
        ["application/sdp", "multipart/mixed", "multipart/alternative", "text/plain", "message/sipfrag", "application/dtmf-relay"];

    /// <summary>
    /// Also refuse unknown Proxy-Require tags (RFC 3261 §16.3 step 6). On by default: the B2BUA
    /// is the element that forwards the request, so it answers for the proxy role as well.
    /// </summary>
    public bool CheckProxyRequire { get; init; } = true;

    /// <summary>
    /// Answer 483 to a request other than OPTIONS whose Max-Forwards is 0 (RFC 3261 §16.3 step 2):
    /// the B2BUA would forward it. OPTIONS is answered locally (RFC 4475 §3.3.11 zeromf).
    /// </summary>
    public bool RejectZeroMaxForwards { get; init; } = true;

    /// <summary>
    /// Refuse a Date that is not an RFC 1123 date in GMT (RFC 3261 §20.17). Off by default:
    /// RFC 4475 §3.1.2.12 (baddate) lets an element ignore the bad Date instead.
    /// </summary>
    public bool RejectMalformedDate { get; init; }

    /// <summary>
    /// Refuse a top Via without an RFC 3261 branch (z9hG4bK…). Off by default so that RFC 2543
    /// peers keep working (RFC 4475 §3.4.1 inv2543).
    /// </summary>
    public bool RequireRfc3261Branch { get; init; }

    /// <summary>The warn-agent written in Warning headers (RFC 3261 §20.43).</summary>
    public string WarningAgent { get; init; } = "callswitch";

    /// <summary>The defaults.</summary>
    public static SipValidatorOptions Default { get; } = new();
}
