using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// Check 7: roles the campaign does not let listen are refused the main call's recording by the
/// isolated switch's one authorisation service, each refusal audited in its store; and, as a
/// control, a role the campaign names may listen (so the refusals are the rule's, not a broken guard).
/// </summary>
internal static class ListeningCheck
{
    public const int Number = 7;
    public const string Name = "unauthorised role cannot listen";

    public static async Task<SelfTestCheck> JudgeAsync(string campaign, CampaignConfig configured, IsolatedSwitch isolated, MainCall main, CancellationToken cancellationToken)
    {
        if (main.Recording is not { } row)
        {
            return main.Result is null
                ? new(campaign, Number, Name, SelfTestOutcome.NotApplicable, "nothing recorded, nothing to listen to")
                : new(campaign, Number, Name, SelfTestOutcome.Fail, "the recording has no row in the store to ask for");
        }

        AccessGuard guard = isolated.Host.Services.GetRequiredService<SwitchAccess>().Guard
            ?? throw new InvalidOperationException("the isolated switch has no store, hence no audited guard");
        IMetadataStore store = isolated.Host.Archive!.Store;
        var access = new RecordingAccess(store, store, TimeProvider.System, guard, extension => isolated.Config.FindAgent(extension)?.Team);
        CampaignAccess rules = configured.AccessRules;
        var purpose = new AccessPurpose(rules.Purposes.FirstOrDefault() ?? configured.Recording.Purposes.FirstOrDefault() ?? "quality");

        // Admin: configuration and users, never listening; an agent: only their own calls.
        Principal[] refused =
        [
            new("selftest-admin", null, [new RoleGrant(Role.Admin, AccessScope.All)]),
            new("selftest-other-agent", "9999", [new RoleGrant(Role.Agent, AccessScope.All)]),
        ];
        var names = new List<string>();
        foreach (Principal principal in refused)
        {
            string grant = $"{principal.Grants[0]}{(principal.Extension is null ? string.Empty : " (extension " + principal.Extension + ")")}";
            try
            {
                await access.OpenForListeningAsync(principal, row.Id, AccessAction.Stream, purpose, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new(campaign, Number, Name, SelfTestOutcome.Fail, $"{grant} was let listen to the recording for \"{purpose}\"");
            }
            catch (AccessDeniedException)
            {
                // Refused, as it must be; now the proof.
            }

            IReadOnlyList<AuditEntry> audited = await store.SearchAuditAsync(new AuditQuery { Actor = principal.Name, Action = AuditAction.AccessDenied }, cancellationToken).ConfigureAwait(false);
            if (!audited.Any(e => e.Event.RecordingId == row.Id))
            {
                return new(campaign, Number, Name, SelfTestOutcome.Fail, $"{grant} was refused but the refusal is not in the audit log");
            }

            names.Add(grant);
        }

        string refusals = $"{string.Join(" and ", names)} refused and audited";
        Role[] listeners = [.. rules.ListenRoles.Where(r => r is not (Role.Agent or Role.Dpo or Role.Admin) && rules.Hears(r)).Order()];
        if (listeners is [Role control, ..])
        {
            var allowed = new Principal("selftest-" + RoleNames.ToCode(control), null, [new RoleGrant(control, AccessScope.Campaign(campaign))]);
            try
            {
                await access.OpenForListeningAsync(allowed, row.Id, AccessAction.Stream, purpose, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (AccessDeniedException e)
            {
                return new(campaign, Number, Name, SelfTestOutcome.Fail, $"{refusals}, but {allowed.Grants[0]}, whom the campaign lets listen, was refused too: {e.Message}");
            }

            return new(campaign, Number, Name, SelfTestOutcome.Ok, $"{refusals}; {allowed.Grants[0]} (a listening role of the campaign) allowed for \"{purpose}\"");
        }

        return new(campaign, Number, Name, SelfTestOutcome.Ok, $"{refusals}; the campaign lets no role listen");
    }
}
