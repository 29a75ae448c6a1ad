namespace CallSwitch.Calls.Recording;

/// <summary>Through what a recording was started, paused, resumed or refused (logged with each change).</summary>
public enum ControlSource
{
    /// <summary>The HTTP API (the agent's CRM).</summary>
    Api,

    /// <summary>The agent's key sequence.</summary>
    AgentKeys,

    /// <summary>The prospect's key, pressed during the notice.</summary>
    ProspectKey,
}
