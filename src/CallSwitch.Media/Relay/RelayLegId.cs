namespace CallSwitch.Media.Relay;

/// <summary>The two legs of a relayed call.</summary>
public enum RelayLegId
{
    /// <summary>The agent side.</summary>
    A = 0,

    /// <summary>The prospect / trunk side.</summary>
    B = 1,
}
