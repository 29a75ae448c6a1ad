using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// Who may supervise whom: the one question supervision asks before joining a call. The
/// authorisation service answers it (<see cref="TeamSupervisionPolicy"/>: the users linked to the
/// SIP accounts, or the accounts' configured role and team).
/// </summary>
/// <remarks>Thread-safe; answers at once (it is asked while a supervisor's INVITE waits).</remarks>
public interface ISupervisionPolicy
{
    /// <summary>Whether <paramref name="supervisor"/> may join <paramref name="agent"/>'s call in <paramref name="mode"/>.</summary>
    /// <param name="supervisor">The authenticated extension asking.</param>
    /// <param name="agent">The extension of the agent whose call is asked for.</param>
    /// <param name="mode">The mode asked for (a later switch to another mode is asked again).</param>
    SupervisionDecision Decide(string supervisor, string agent, SupervisionMode mode);
}
