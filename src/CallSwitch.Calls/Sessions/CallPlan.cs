using CallSwitch.Compliance.Rules;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Media.Announcements;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// What routing decided for one call: who called (agent or prospect), where the other leg
/// goes and as whom, which codecs to offer there, and what to play first. Immutable.
/// </summary>
public sealed record CallPlan
{
    /// <summary>The agent's extension.</summary>
    public required string Agent { get; init; }

    /// <summary>Who sent the INVITE: the agent (outbound) or the prospect through a trunk (inbound).</summary>
    public required CallParty Caller { get; init; }

    /// <summary>The prospect's number in E.164.</summary>
    public required string ProspectNumber { get; init; }

    /// <summary>The Request-URI of the INVITE we send on the callee leg.</summary>
    public required SipUri CalleeUri { get; init; }

    /// <summary>Where that INVITE goes (trunk address, or the agent's registered flow).</summary>
    public required SipFlow CalleeFlow { get; init; }

    /// <summary>The From of the callee leg (caller id).</summary>
    public required NameAddress CalleeFrom { get; init; }

    /// <summary>The To of the callee leg.</summary>
    public required NameAddress CalleeTo { get; init; }

    /// <summary>The codecs offered on the callee leg, in preference order (telephone-event included).</summary>
    public required IReadOnlyList<AudioCodec> CalleeCodecs { get; init; }

    /// <summary>The trunk used, for channel accounting; null for a call to an agent only.</summary>
    public string? TrunkId { get; init; }

    /// <summary>Digest credentials for the trunk's 401/407, when it has them.</summary>
    public DigestClient? TrunkCredentials { get; init; }

    /// <summary>The campaign, when one applies.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The recording notice played to the prospect before the parties are connected.</summary>
    public Announcement? Announcement { get; init; }

    /// <summary>Whether the agent hears the notice too.</summary>
    public bool AgentHearsAnnouncement { get; init; }

    /// <summary>The campaign's recording rule; null records nothing.</summary>
    public RecordingRule? Recording { get; init; }

    /// <summary>
    /// A private call (the agent dialled their private-call prefix): no campaign, no notice, no
    /// rule, never recorded nor supervised, stored without the number.
    /// </summary>
    public bool Private { get; init; }
}
