namespace CallSwitch.Configuration;

/// <summary>One problem in a configuration file, where it is and what is wrong, in plain words.</summary>
public sealed record ConfigError(string File, long Line, long Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
