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

    /// <summary>A legal hold lapsed at its expiry.</summary>
    LegalHoldExpired,

    /// <summary>A user was added; the detail names the user and their roles.</summary>
    UserAdded,

    /// <summary>A user was disabled.</summary>
    UserDisabled,

    /// <summary>A disabled user was enabled again.</summary>
    UserEnabled,

    /// <summary>A user's password was changed (never the password itself).</summary>
    PasswordChanged,

    /// <summary>A role was granted to a user in a scope.</summary>
    RoleGranted,

    /// <summary>A role was revoked from a user.</summary>
    RoleRevoked,

    /// <summary>An action was refused by the authorisation service; the detail holds the action, resource and reason.</summary>
    AccessDenied,

    /// <summary>A user signed in.</summary>
    Login,

    /// <summary>A sign-in failed (unknown user, wrong password or disabled user; the detail says which, never the password).</summary>
    LoginFailed,

    /// <summary>An anonymised training extract of a recording was made.</summary>
    Extract,

    /// <summary>A supervisor joined a live call (listen, whisper or barge); the detail names the call, the agent and the mode.</summary>
    SupervisionStarted,

    /// <summary>A supervisor switched mode during a session; the detail names the call and the new mode.</summary>
    SupervisionModeChanged,

    /// <summary>A supervision session ended; the detail names the call and the session's duration.</summary>
    SupervisionEnded,

    /// <summary>A supervisor was refused a call (not allowed to supervise that agent); the detail says why.</summary>
    SupervisionRefused,

    /// <summary>A stored recording's file was repaired (re-sealed) by a tool; the detail says the outcome.</summary>
    RecordingRepaired,

    /// <summary>A data-subject request was entered; the detail names its kind and the number masked.</summary>
    RequestOpened,

    /// <summary>A data-subject request was answered; the detail says what was done.</summary>
    RequestFulfilled,

    /// <summary>A data-subject request was refused; the detail holds the reason.</summary>
    RequestRejected,

    /// <summary>A restriction (Art. 18) was lifted.</summary>
    RestrictionLifted,

    /// <summary>The do-not-call list changed (numbers added, imported or removed); never a number in clear.</summary>
    DoNotCallChanged,

    /// <summary>A number was replaced by its keyed hash in the call rows (an erasure request).</summary>
    CallNumbersRedacted,

    /// <summary>An access bundle was written for a data-subject request; the detail names the file and its SHA-256.</summary>
    RequestBundleWritten,

    /// <summary>An anonymised training extract past its deadline was destroyed (key, file, row) by the retention sidecar; the detail names its campaign, agent and deadline.</summary>
    ExtractPurged,

    /// <summary>An access bundle past its keeping time (<c>retention.access_bundle_days</c>) was deleted by the retention sidecar; the detail names the file and when it was written.</summary>
    RequestBundleDeleted,
}
