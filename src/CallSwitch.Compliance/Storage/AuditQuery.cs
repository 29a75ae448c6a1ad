namespace CallSwitch.Compliance.Storage;

/// <summary>Criteria for searching the audit log; every one given must match.</summary>
public sealed record AuditQuery
{
    /// <summary>The most entries returned.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Who acted.</summary>
    public string? Actor { get; init; }

    /// <summary>On which recording.</summary>
    public Guid? RecordingId { get; init; }

    /// <summary>What was done.</summary>
    public AuditAction? Action { get; init; }

    /// <summary>At or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Before.</summary>
    public DateTimeOffset? Before { get; init; }

    /// <summary>At most this many entries, oldest first.</summary>
    public int Limit { get; init; } = 1000;
}
