namespace CallSwitch.Compliance.Access;

/// <summary>Everything a user may be allowed to do, whatever the entry point (CLI, HTTP API, console, supervision).</summary>
public enum AccessAction
{
    /// <summary>Find recordings and read their metadata (no audio).</summary>
    SearchRecordings,

    /// <summary>Listen to a recording: decrypted on the fly, no plain file on disk.</summary>
    Stream,

    /// <summary>Download a recording as a plain file (a different right from streaming).</summary>
    Download,

    /// <summary>Make an anonymised training extract (the agent's channel only, no number, no call id).</summary>
    Extract,

    /// <summary>Annotate or evaluate a recording.</summary>
    Annotate,

    /// <summary>Listen to a live call, silently.</summary>
    SuperviseListen,

    /// <summary>Speak to the agent of a live call without the prospect hearing.</summary>
    SuperviseWhisper,

    /// <summary>Join a live call, heard by both.</summary>
    SuperviseBarge,

    /// <summary>Pause, resume, start or stop the recording of a live call.</summary>
    RecordingControl,

    /// <summary>Handle data-subject requests (access, erasure, opposition).</summary>
    Requests,

    /// <summary>Place or release legal holds.</summary>
    Holds,

    /// <summary>Read and search the audit log.</summary>
    AuditRead,

    /// <summary>Verify the audit log's hash chain and export its anchors (nothing personal is shown).</summary>
    AuditVerify,

    /// <summary>Read the indicators.</summary>
    Kpi,

    /// <summary>Change the configuration.</summary>
    Config,

    /// <summary>Manage users and roles.</summary>
    Users,
}
