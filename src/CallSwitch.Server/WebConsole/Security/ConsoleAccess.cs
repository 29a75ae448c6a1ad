using CallSwitch.Compliance.Access;

namespace CallSwitch.Server.WebConsole.Security;

/// <summary>
/// Page-level decisions through the one authorisation service: a page is open to a user who may
/// do its action somewhere in one of their scopes. Each grant is asked about a resource inside
/// its own scope, so a team supervisor gets the live board (their team's calls) and a dpo the
/// holds, and the service alone decides.
/// </summary>
public static class ConsoleAccess
{
    /// <summary>Whether <paramref name="principal"/> may do <paramref name="action"/> anywhere in their scopes.</summary>
    public static bool MayAnywhere(IAuthorizer authorizer, Principal principal, AccessAction action)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Grants.Any(grant => authorizer.Decide(principal, action, InScopeOf(grant, principal)).Allowed);
    }

    /// <summary>A resource inside the grant's scope (an agent's own, for an agent).</summary>
    private static AccessResource InScopeOf(RoleGrant grant, Principal principal) => grant.Scope.Kind switch
    {
        ScopeKind.Team => new AccessResource { Team = grant.Scope.Name, AgentExtension = principal.Extension },
        ScopeKind.Campaign => new AccessResource { CampaignId = grant.Scope.Name, AgentExtension = principal.Extension },
        _ => new AccessResource { AgentExtension = principal.Extension },
    };
}
