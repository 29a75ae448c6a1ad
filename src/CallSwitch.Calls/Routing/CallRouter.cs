using System.Globalization;
using System.Net;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Requests;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Routing;

/// <summary>
/// Decides where a call goes. Outbound: the agent's private-call prefix stripped (a private
/// call), the agent's campaign (its default, or another of its
/// campaigns picked by dial prefix or X-Campaign header when the campaign allows it), the
/// number normalised to E.164, the campaign's trunk with a free channel. Inbound: the trunk
/// recognised by its address, the dialled number's route, the agent's registered contact.
/// Thread-safe; reads the routing table in force at the time of the call.
/// </summary>
public sealed class CallRouter
{
    /// <summary>The header an agent's CRM may set to pick a campaign.</summary>
    public const string CampaignHeader = "X-Campaign";

    private static readonly IReadOnlyList<AudioCodec> AllServed = [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.G722, AudioCodec.TelephoneEvent];

    private readonly Func<RoutingTable> _table;
    private readonly IBindingLookup _bindings;
    private readonly NumberNormalizer _normalize;
    private readonly CallRegistry _registry;
    private readonly Func<SipProtocol, IPEndPoint> _listener;

    /// <summary>Creates a router.</summary>
    /// <param name="table">The routing table in force (read per call).</param>
    /// <param name="bindings">Registered agents.</param>
    /// <param name="normalize">Dialled digits to E.164, or why they are not a valid number.</param>
    /// <param name="registry">Live calls and trunk channels.</param>
    /// <param name="listener">Our SIP listener per protocol (the local end of flows).</param>
    public CallRouter(Func<RoutingTable> table, IBindingLookup bindings, NumberNormalizer normalize, CallRegistry registry, Func<SipProtocol, IPEndPoint> listener)
    {
        _table = table;
        _bindings = bindings;
        _normalize = normalize;
        _registry = registry;
        _listener = listener;
    }

    /// <summary>
    /// The do-not-call list (objections, clients' lists): an agent's call to a listed number is
    /// refused with 603, a listed number's call is never recorded. Read from memory; none by default.
    /// </summary>
    public IDoNotCallList? DoNotCall { get; init; }

    /// <summary>The warning text of a call refused because the number is on the do-not-call list.</summary>
    public const string DoNotCallWarning = "The number is on the do-not-call list: the person objected to being called";

    /// <summary>Routes an agent's INVITE to a prospect. A plan that is returned holds a trunk channel until the call ends.</summary>
    public RouteDecision RouteOutbound(SipRequest invite, string agent)
    {
        RoutingTable table = _table();
        string? dialled = DialledDigits(invite.Uri);
        if (string.IsNullOrEmpty(dialled))
        {
            return RouteDecision.Refuse(484, "Address Incomplete");
        }

        // The private-call prefix first, stripped before anything else reads the digits.
        string? privatePrefix = table.PrivatePrefixes.GetValueOrDefault(agent);
        bool isPrivate = privatePrefix is not null && dialled.StartsWith(privatePrefix, StringComparison.Ordinal) && dialled.Length > privatePrefix.Length;
        if (isPrivate)
        {
            dialled = dialled[privatePrefix!.Length..];
        }

        if (table.Extensions.Contains(dialled))
        {
            RouteDecision internalCall = RouteToAgent(agent, dialled, invite);
            return isPrivate && internalCall.Plan is { } colleague ? RouteDecision.To(colleague with { Private = true }) : internalCall;
        }

        if (!table.AgentCampaigns.TryGetValue(agent, out var allowed) || allowed.Count == 0)
        {
            return RouteDecision.Refuse(403, "No Campaign Assigned");
        }

        Campaign? campaign = table.Campaigns.GetValueOrDefault(allowed[0]);
        foreach (string id in allowed)
        {
            if (table.Campaigns.GetValueOrDefault(id) is { DialPrefix: { Length: > 0 } prefix } prefixed && dialled.StartsWith(prefix, StringComparison.Ordinal) && dialled.Length > prefix.Length)
            {
                campaign = prefixed;
                dialled = dialled[prefix.Length..];
                break;
            }
        }

        if (invite.Headers[CampaignHeader] is { Length: > 0 } wanted && wanted != campaign?.Id)
        {
            Campaign? picked = table.Campaigns.GetValueOrDefault(wanted);
            if (picked is null || !allowed.Contains(wanted) || !picked.AllowHeaderOverride)
            {
                return RouteDecision.Refuse(403, "Campaign Not Allowed");
            }

            campaign = picked;
        }

        if (campaign is null || !table.Trunks.TryGetValue(campaign.TrunkId, out Trunk? trunk))
        {
            return RouteDecision.Refuse(503, "Campaign Has No Trunk");
        }

        if (!_normalize(dialled, out string? number, out string? why))
        {
            return RouteDecision.Refuse(484, "Not A Valid Number", why);
        }

        // Before a trunk channel is taken: no INVITE reaches the carrier (RFC 3261 §21.6.2: 603 Decline).
        if (DoNotCall?.IsListed(number, campaign.Id) == true)
        {
            return RouteDecision.Refuse(603, "Decline", DoNotCallWarning);
        }

        if (!_registry.TryTakeChannel(trunk.Id, trunk.MaxChannels))
        {
            return RouteDecision.Refuse(503, "All Trunk Channels Busy");
        }

        string callerId = campaign.CallerId ?? trunk.CallerId ?? agent;
        string host = HostPort(trunk);
        CallPlan plan = new()
        {
            Agent = agent,
            Caller = CallParty.Agent,
            ProspectNumber = number,
            CalleeUri = SipUri.Parse($"sip:{number}@{host}{TransportParameter(trunk.Protocol)}")!,
            CalleeFlow = new SipFlow(trunk.Protocol, _listener(trunk.Protocol), trunk.EndPoint),
            CalleeFrom = NameAddress.Parse($"<sip:{callerId}@{trunk.FromDomain ?? trunk.Host}>")!,
            CalleeTo = NameAddress.Parse($"<sip:{number}@{trunk.Host}>")!,
            CalleeCodecs = trunk.Codecs,
            TrunkId = trunk.Id,
            TrunkCredentials = trunk.Username is not null && trunk.Password is not null ? new DigestClient(trunk.Username, trunk.Password) : null,
            CampaignId = campaign.Id,
            Announcement = campaign.Announcement,
            AgentHearsAnnouncement = campaign.AgentHearsAnnouncement,
            Recording = campaign.Recording,
        };

        // A private call goes out through the campaign's trunk as the campaign's caller id, and
        // that is all it takes from the campaign: it is not the campaign's business.
        return RouteDecision.To(isPrivate
            ? plan with { CampaignId = null, Announcement = null, AgentHearsAnnouncement = false, Recording = null, Private = true }
            : plan);
    }

    /// <summary>An agent calling another agent: the callee's registered contact, every codec we serve offered.</summary>
    private RouteDecision RouteToAgent(string caller, string callee, SipRequest invite)
    {
        Binding? binding = _bindings.GetBindings(callee).FirstOrDefault();
        if (binding is null)
        {
            return RouteDecision.Refuse(480, "Agent Not Registered");
        }

        var from = invite.From!.Clone();
        from.Tag = null;
        return RouteDecision.To(new CallPlan
        {
            Agent = caller,
            Caller = CallParty.Agent,
            ProspectNumber = callee,
            CalleeUri = (binding.Contact.Uri as SipUri)?.Clone() ?? SipUri.Parse($"sip:{callee}@{HostOf(binding.Flow.Remote)}:{binding.Flow.Remote.Port}")!,
            CalleeFlow = binding.Flow,
            CalleeFrom = from,
            CalleeTo = NameAddress.Parse($"<sip:{callee}@{HostOf(binding.Flow.Local)}>")!,
            CalleeCodecs = AllServed,
        });
    }

    /// <summary>
    /// The trunk a request came from, or null for any other source. Over UDP a carrier sends
    /// from its signalling address and port, so both must match (agents on the carrier's host
    /// are not mistaken for it); over TCP the source port is ephemeral, so the address decides.
    /// </summary>
    public Trunk? FindTrunk(SipFlow flow) =>
        _table().Trunks.Values.FirstOrDefault(t =>
            t.Protocol == flow.Protocol &&
            t.EndPoint.Address.Equals(flow.Remote.Address) &&
            (flow.Protocol != SipProtocol.Udp || t.EndPoint.Port == flow.Remote.Port));

    /// <summary>Routes a trunk's INVITE for one of our numbers to the agent (or a registered agent of the team).</summary>
    public RouteDecision RouteInbound(SipRequest invite, Trunk trunk)
    {
        RoutingTable table = _table();
        string? did = DialledDigits(invite.Uri) is { } digits && _normalize(digits, out string? e164, out _) ? e164 : null;
        if (did is null || !table.Inbound.TryGetValue(did, out InboundRoute? route))
        {
            return RouteDecision.Refuse(404, "Not Found");
        }

        IEnumerable<string> candidates = route.Agent is not null ? [route.Agent] : table.Teams.GetValueOrDefault(route.Team ?? string.Empty) ?? [];
        Binding? binding = candidates.Select(a => _bindings.GetBindings(a).FirstOrDefault()).FirstOrDefault(b => b is not null);
        if (binding is null)
        {
            return RouteDecision.Refuse(480, "No Agent Available");
        }

        string prospect = (invite.From?.Uri as SipUri)?.UserUnescaped ?? (invite.From?.Uri as TelUri)?.Digits ?? "anonymous";
        Campaign? campaign = route.CampaignId is null ? null : table.Campaigns.GetValueOrDefault(route.CampaignId);
        if (!_registry.TryTakeChannel(trunk.Id, trunk.MaxChannels))
        {
            return RouteDecision.Refuse(503, "All Trunk Channels Busy");
        }

        var from = invite.From!.Clone();
        from.Tag = null;
        string prospectNumber = _normalize(prospect, out string? normalized, out _) ? normalized : prospect;

        // A listed number objected: its calls are taken, never recorded.
        bool objected = DoNotCall?.IsListed(prospectNumber, campaign?.Id) == true;
        return RouteDecision.To(new CallPlan
        {
            Agent = binding.User,
            Caller = CallParty.Prospect,
            ProspectNumber = prospectNumber,
            CalleeUri = (binding.Contact.Uri as SipUri)?.Clone() ?? SipUri.Parse($"sip:{binding.User}@{binding.Flow.Remote}")!,
            CalleeFlow = binding.Flow,
            CalleeFrom = from,
            CalleeTo = NameAddress.Parse($"<sip:{binding.User}@{HostOf(binding.Flow.Local)}>")!,
            CalleeCodecs = AllServed,
            TrunkId = trunk.Id,
            CampaignId = campaign?.Id,
            Announcement = campaign?.Announcement,
            AgentHearsAnnouncement = campaign?.AgentHearsAnnouncement ?? false,
            Recording = objected ? null : campaign?.Recording,
        });
    }

    /// <summary>The digits dialled: the user part of a sip URI (visual separators removed) or a tel URI's number.</summary>
    public static string? DialledDigits(AddressUri? uri)
    {
        string? raw = uri switch
        {
            SipUri sip => sip.UserUnescaped,
            TelUri tel => tel.Digits,
            _ => null,
        };
        if (raw is null)
        {
            return null;
        }

        var digits = new System.Text.StringBuilder(raw.Length);
        foreach (char c in raw)
        {
            if (char.IsAsciiDigit(c) || c is '+' or '*' or '#')
            {
                digits.Append(c);
            }
            else if (c is not '-' and not '.' and not ' ' and not '(' and not ')')
            {
                return null;
            }
        }

        return digits.ToString();
    }

    private static string HostPort(Trunk trunk) =>
        trunk.EndPoint.Port == 5060 ? trunk.Host : trunk.Host + ":" + trunk.EndPoint.Port.ToString(CultureInfo.InvariantCulture);

    private static string HostOf(IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();

    private static string TransportParameter(SipProtocol protocol) =>
        protocol == SipProtocol.Udp ? string.Empty : ";transport=" + protocol.ToString().ToLowerInvariant();
}
