namespace CallSwitch.Server.Cli;

/// <summary>The values of a <c>requests</c> or <c>do-not-call</c> command, as parsed.</summary>
internal sealed record RequestArguments
{
    /// <summary>The configuration file; null for the embedded defaults.</summary>
    public string? Config { get; init; }

    /// <summary>The CallSwitch user acting (--as); null for the OS user's namesake.</summary>
    public string? As { get; init; }

    /// <summary>Reads the password of <see cref="As"/>.</summary>
    public Func<string?> ReadPassword { get; init; } = () => null;

    /// <summary>The request's id (DSR-17 or 17).</summary>
    public string? Id { get; init; }

    /// <summary>The kind: access, erasure, restriction, objection.</summary>
    public string? Type { get; init; }

    /// <summary>A phone number as people write it.</summary>
    public string? Number { get; init; }

    /// <summary>The caller's reference.</summary>
    public string? Reference { get; init; }

    /// <summary>When the request was received.</summary>
    public string? Received { get; init; }

    /// <summary>A campaign (an objection's scope, a do-not-call entry's).</summary>
    public string? Campaign { get; init; }

    /// <summary>Only requests in this status.</summary>
    public string? Status { get; init; }

    /// <summary>Only overdue requests.</summary>
    public bool Overdue { get; init; }

    /// <summary>A reason (rejection, lifting, removal).</summary>
    public string? Reason { get; init; }

    /// <summary>The file or folder written (bundle, receipts, CSV).</summary>
    public string? Out { get; init; }

    /// <summary>A file read (CSV import).</summary>
    public string? File { get; init; }
}
