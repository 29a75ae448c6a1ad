namespace CallSwitch.Server.Configuration;

/// <summary>Digest authentication and brute-force protection settings.</summary>
public sealed record AuthConfig
{
    /// <summary>How long a nonce stays valid, in seconds.</summary>
    public int NonceLifetimeSeconds { get; init; } = 300;

    /// <summary>Failed authentications from one source within the window that block it.</summary>
    public int MaxFailures { get; init; } = 10;

    /// <summary>The window over which failures are counted, in seconds.</summary>
    public int FailureWindowSeconds { get; init; } = 60;

    /// <summary>How long a source stays blocked, in seconds.</summary>
    public int BlockSeconds { get; init; } = 300;
}
