namespace CallSwitch.Calls.Supervision;

/// <summary>What became of a supervisor's request to join an agent's call.</summary>
public enum SupervisionJoinOutcome
{
    /// <summary>The supervisor is on the call.</summary>
    Joined,

    /// <summary>The agent has no answered call now (SIP: 404, see the SIP layer).</summary>
    AgentNotInCall,

    /// <summary>The supervisor may not supervise this agent (SIP: 403); audited.</summary>
    Refused,

    /// <summary>The call's media cannot be mixed (a codec the mixer does not know, or it is ending).</summary>
    NoMedia,
}
