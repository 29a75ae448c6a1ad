namespace CallSwitch.Configuration;

/// <summary>How a configuration is loaded: where relative paths start and where environment variables come from.</summary>
public sealed record ConfigLoadOptions
{
    /// <summary>
    /// The folder relative paths (announcements, spool, data) are resolved against. Null: the
    /// configuration file's folder, or the current directory for text without a file.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Reads an environment variable (password_env); the process environment unless replaced.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
