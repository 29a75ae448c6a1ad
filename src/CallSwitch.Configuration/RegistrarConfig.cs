namespace CallSwitch.Configuration;

/// <summary>Registrar limits (RFC 3261 §10.3 steps 7–8), in seconds and contacts.</summary>
public sealed record RegistrarConfig
{
    /// <summary>Expiry given when the request names none.</summary>
    public int DefaultExpires { get; init; } = 3600;

    /// <summary>Shortest expiry accepted.</summary>
    public int MinExpires { get; init; } = 60;

    /// <summary>Longest expiry granted.</summary>
    public int MaxExpires { get; init; } = 7200;

    /// <summary>Most contacts one agent may bind at once.</summary>
    public int MaxContacts { get; init; } = 10;
}
