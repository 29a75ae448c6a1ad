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
}
