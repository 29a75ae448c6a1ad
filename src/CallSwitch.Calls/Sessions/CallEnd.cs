namespace CallSwitch.Calls.Sessions;

/// <summary>How a call ended, for logs and the call record.</summary>
public enum CallEnd
{
    AgentHungUp,
    ProspectHungUp,
    Cancelled,
    Rejected,
    NoAnswer,
    Failed,
    RtpTimeout,
    ShutDown,
}
