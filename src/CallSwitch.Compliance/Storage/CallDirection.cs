namespace CallSwitch.Compliance.Storage;

/// <summary>Which side placed a call.</summary>
public enum CallDirection
{
    /// <summary>A prospect called in through a trunk.</summary>
    Inbound,

    /// <summary>An agent called a prospect out through a trunk.</summary>
    Outbound,
}
