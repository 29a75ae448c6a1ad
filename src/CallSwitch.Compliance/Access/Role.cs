namespace CallSwitch.Compliance.Access;

/// <summary>
/// What a CallSwitch user is there for. Each role grants the least it needs (the matrix is
/// <see cref="Authorizer"/>); a user may hold several, each within a scope.
/// </summary>
public enum Role
{
    /// <summary>Takes calls; hears only their own recordings, and only when the campaign allows it.</summary>
    Agent,

    /// <summary>Runs a team's live calls; of recordings, only anonymised extracts unless the campaign grants more.</summary>
    Supervisor,

    /// <summary>Quality review: listens to the scope's recordings, for a declared purpose.</summary>
    Quality,

    /// <summary>Manages campaigns: listens to the scope's recordings, for a declared purpose.</summary>
    Manager,

    /// <summary>Data protection officer: requests, holds, audit, exports for requests; listens only within a request.</summary>
    Dpo,

    /// <summary>Configuration and users; no listening.</summary>
    Admin,
}
