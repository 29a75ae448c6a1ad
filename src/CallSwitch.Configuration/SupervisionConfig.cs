namespace CallSwitch.Configuration;

/// <summary>
/// How supervisors reach live calls (the 'supervision' section): the feature codes dialled
/// before an agent's extension, the keys that switch mode during a session, and whether the
/// agent hears a tone when a session starts.
/// </summary>
public sealed record SupervisionConfig
{
    /// <summary>Dialled before the agent's extension to listen without being heard.</summary>
    public string ListenCode { get; init; } = "*71";

    /// <summary>Dialled before the agent's extension to whisper to the agent.</summary>
    public string WhisperCode { get; init; } = "*72";

    /// <summary>Dialled before the agent's extension to join the call.</summary>
    public string BargeCode { get; init; } = "*73";

    /// <summary>The key that switches a session to listen.</summary>
    public char ListenKey { get; init; } = '1';

    /// <summary>The key that switches a session to whisper.</summary>
    public char WhisperKey { get; init; } = '2';

    /// <summary>The key that switches a session to barge.</summary>
    public char BargeKey { get; init; } = '3';

    /// <summary>
    /// Whether the agent hears a short tone when a session starts. Off by default: the company
    /// informs its staff that calls may be monitored.
    /// </summary>
    public bool NotifyAgent { get; init; }
}
