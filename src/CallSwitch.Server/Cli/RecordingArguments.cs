namespace CallSwitch.Server.Cli;

/// <summary>The values given to <c>callswitch recordings list|search|export</c>; null where not given.</summary>
internal sealed record RecordingArguments
{
    /// <summary>--config: the switch's configuration file (the embedded one when null).</summary>
    public string? Config { get; init; }

    /// <summary>search --number: a phone number as people write it.</summary>
    public string? Number { get; init; }

    /// <summary>search --campaign.</summary>
    public string? Campaign { get; init; }

    /// <summary>search --agent.</summary>
    public string? Agent { get; init; }

    /// <summary>search --from: a date or an instant.</summary>
    public string? From { get; init; }

    /// <summary>search --to: a date (that whole day included) or an instant.</summary>
    public string? To { get; init; }

    /// <summary>export's ID argument.</summary>
    public string? Id { get; init; }

    /// <summary>export --out: the file to write.</summary>
    public string? Out { get; init; }

    /// <summary>export --as: the CallSwitch user to sign in as (the OS user's namesake without it).</summary>
    public string? As { get; init; }

    /// <summary>export --purpose: one of the campaign's declared purposes.</summary>
    public string? Purpose { get; init; }

    /// <summary>export --reason: the free-text reason (required for the purpose dispute).</summary>
    public string? Reason { get; init; }

    /// <summary>export --request: the data-subject request the export answers (a dpo exports only within one).</summary>
    public string? Request { get; init; }

    /// <summary>extract --sample: the sample the campaign's rule picks of --agent's recordings from --from to --to.</summary>
    public bool Sample { get; init; }

    /// <summary>Reads the password of <see cref="As"/> (standard input, or the terminal without echo); null when there is none.</summary>
    public Func<string?> ReadPassword { get; init; } = () => null;
}
