using CallSwitch.Compliance.Access;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Api;

/// <summary>
/// An API client (a CRM) as the authorisation service sees it: the principal <c>api:ID</c>,
/// controlling the live calls of the agents it serves as a supervisor of those agents would —
/// every agent's (<c>supervisor@*</c>) when its <c>agents</c> list is empty, else each listed
/// agent's (<c>supervisor@agent:EXT</c>). The API offers no route to audio or to supervision, so
/// of that role only the recording control and the view of live calls are reachable.
/// </summary>
internal static class ApiPrincipal
{
    /// <summary>The prefix of API clients' names in decisions and in the audit log.</summary>
    public const string NamePrefix = "api:";

    /// <summary>The principal of a configured client.</summary>
    public static Principal Of(ApiClientConfig client)
    {
        ArgumentNullException.ThrowIfNull(client);
        RoleGrant[] grants = client.Agents.Count == 0
            ? [new RoleGrant(Role.Supervisor, AccessScope.All)]
            : client.Agents.Select(agent => new RoleGrant(Role.Supervisor, AccessScope.Agent(agent))).ToArray();
        return new Principal(NamePrefix + client.Id, null, grants);
    }
}
