namespace CallSwitch.Calls.Media;

/// <summary>Who is on a leg. The agent is always relay leg A (left channel), the prospect leg B (right channel).</summary>
public enum CallParty
{
    Agent,
    Prospect,
}
