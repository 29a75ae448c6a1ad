namespace CallSwitch.Calls.Control;

/// <summary>What happened to a call in the live list.</summary>
public enum LiveCallChangeKind
{
    /// <summary>A new call (its INVITE was routed).</summary>
    Added,

    /// <summary>The call changed phase (ringing, answered, connected, on or off hold).</summary>
    PhaseChanged,

    /// <summary>The call ended and left the list.</summary>
    Removed,
}
