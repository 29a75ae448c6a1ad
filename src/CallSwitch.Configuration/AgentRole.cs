namespace CallSwitch.Configuration;

/// <summary>What an agent account may do (least privilege: agent by default).</summary>
public enum AgentRole
{
    Agent,
    Supervisor,
    Admin,
}
