using CallSwitch.Calls.Control;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// Joins supervisors to agents' live calls: asks the <see cref="ISupervisionPolicy"/> first (a
/// refused supervisor learns nothing of the agent's calls), finds the agent's answered call,
/// seats the supervisor in the call's mixer, and audits all of it.
/// </summary>
/// <remarks>Thread-safe. Reached through <see cref="ICallControl.JoinSupervisor"/>.</remarks>
/// <param name="policy">Who may supervise whom.</param>
/// <param name="audit">Where sessions and refusals are written.</param>
/// <param name="time">The clock of the sessions' times.</param>
/// <param name="notifyAgent">Whether the agent hears a short tone when a supervisor joins (supervision.notify_agent).</param>
public sealed class SupervisionService(ISupervisionPolicy policy, SupervisionAudit audit, TimeProvider time, bool notifyAgent = false)
{
    /// <summary>How long the agent's notice tone lasts (the mixer's tone is 0.4 s).</summary>
    public static readonly TimeSpan AgentToneLength = TimeSpan.FromMilliseconds(400);

    internal SupervisionAudit Audit => audit;

    internal DateTimeOffset Now => time.GetUtcNow();

    internal SupervisionJoin Join(CallRegistry registry, SupervisorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SupervisionDecision decision = policy.Decide(request.Supervisor, request.Agent, request.Mode);
        if (!decision.Allowed)
        {
            _ = audit.Refused(request.Supervisor, request.Agent, request.Mode, decision.Reason);
            return new SupervisionJoin(SupervisionJoinOutcome.Refused, null, decision.Reason);
        }

        // Joined once the parties are connected: during the notice the call's media owns the
        // forwarding switches (it opens both when the notice ends). A private call is never
        // supervised: to a supervisor it is as if the agent had no call.
        B2buaCall? call = registry.Calls
            .Where(c => c.Plan.Agent == request.Agent && !c.Plan.Private && LiveCallSnapshot.Of(c) is { IsAnswered: true, Phase: CallPhase.Connected or CallPhase.OnHold })
            .OrderBy(c => LiveCallSnapshot.Of(c).StartedAt)
            .FirstOrDefault();
        if (call is null)
        {
            return new SupervisionJoin(SupervisionJoinOutcome.AgentNotInCall, null, $"agent '{request.Agent}' has no connected call");
        }

        if (call.Media?.Supervision(barging => call.RecordingLink.Control?.OnBargeChanged(barging)) is not { } supervision)
        {
            return new SupervisionJoin(SupervisionJoinOutcome.NoMedia, null, $"the media of call {call.Id} cannot be mixed");
        }

        // Read after the mixer exists: a hold change from now on reaches it through the call.
        supervision.SetHeld(LiveCallSnapshot.Of(call).Phase == CallPhase.OnHold);
        if (supervision.Join(this, call.Id, request) is not { } session)
        {
            return new SupervisionJoin(SupervisionJoinOutcome.NoMedia, null, $"the media of call {call.Id} cannot be mixed");
        }

        if (notifyAgent)
        {
            supervision.NotifyAgent(time, AgentToneLength);
        }

        _ = audit.Started(request.Supervisor, call.Id, request.Agent, request.Mode);
        return new SupervisionJoin(SupervisionJoinOutcome.Joined, session);
    }

    /// <summary>Asks the policy for a mode switch; a refusal is audited.</summary>
    internal bool Allows(string supervisor, string agent, SupervisionMode mode)
    {
        SupervisionDecision decision = policy.Decide(supervisor, agent, mode);
        if (!decision.Allowed)
        {
            _ = audit.Refused(supervisor, agent, mode, decision.Reason);
        }

        return decision.Allowed;
    }
}
