namespace CallSwitch.LoadHarness.Rtp;

/// <summary>Which way a stream goes through the switch.</summary>
internal enum Direction
{
    /// <summary>From the agent's phone to the prospect (the trunk side).</summary>
    AgentToProspect = 0,

    /// <summary>From the prospect back to the agent.</summary>
    ProspectToAgent = 1,
}
