namespace CallSwitch.Compliance.Storage;

/// <summary>What was done with recordings, as written in the audit log.</summary>
public enum AuditAction
{
    /// <summary>A recording's metadata was read.</summary>
    View,

    /// <summary>A recording was decrypted to a file.</summary>
    Export,

    /// <summary>A recording was played (streamed).</summary>
    Play,

    /// <summary>Recordings were searched; the entry's detail holds the criteria.</summary>
    Search,

    /// <summary>A recording was erased.</summary>
    Erase,

    /// <summary>A legal hold was placed on a recording.</summary>
    LegalHoldPlaced,

    /// <summary>A legal hold was released.</summary>
    LegalHoldReleased,

    /// <summary>A supervisor joined a live call (listen, whisper or barge); the detail names the call, the agent and the mode.</summary>
    SupervisionStarted,

    /// <summary>A supervisor switched mode during a session; the detail names the call and the new mode.</summary>
    SupervisionModeChanged,

    /// <summary>A supervision session ended; the detail names the call and the session's duration.</summary>
    SupervisionEnded,

    /// <summary>A supervisor was refused a call (not allowed to supervise that agent); the detail says why.</summary>
    SupervisionRefused,
}
