namespace CallSwitch.Server.Cli;

/// <summary>The values of a <c>callswitch audit</c> command line, as <see cref="CliCommands"/> parsed them.</summary>
internal sealed record AuditArguments
{
    /// <summary>The configuration file whose paths.data holds the store (embedded defaults when null).</summary>
    public string? Config { get; init; }

    /// <summary>Anchors given on the command line, <c>SEQUENCE:HASH</c> (verify).</summary>
    public IReadOnlyList<string> Anchors { get; init; } = [];

    /// <summary>A file of anchors, one per line, the last word of each line (verify); the file to append the anchor to (anchor).</summary>
    public string? AnchorFile { get; init; }

    /// <summary>Who acted (search).</summary>
    public string? User { get; init; }

    /// <summary>The recording id (search).</summary>
    public string? Recording { get; init; }

    /// <summary>The action, as the log writes it (search).</summary>
    public string? Action { get; init; }

    /// <summary>From this date or instant (search).</summary>
    public string? From { get; init; }

    /// <summary>Until this date (included) or instant (search).</summary>
    public string? To { get; init; }

    /// <summary>At most this many entries (search).</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>The CallSwitch user running the command (the OS user's namesake without it).</summary>
    public string? As { get; init; }

    /// <summary>Reads the password of <see cref="As"/>.</summary>
    public Func<string?> ReadPassword { get; init; } = () => null;
}
