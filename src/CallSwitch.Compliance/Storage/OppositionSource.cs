namespace CallSwitch.Compliance.Storage;

/// <summary>Who refused a recording.</summary>
public enum OppositionSource
{
    /// <summary>The agent pressed the opposition key (the prospect said no).</summary>
    Agent,

    /// <summary>The prospect pressed the key offered in the announcement.</summary>
    Prospect,
}
