namespace CallSwitch.Calls.Registration;

/// <summary>Registrar limits (RFC 3261 §10.3 steps 7–8).</summary>
public sealed record RegistrarSettings
{
    /// <summary>Expiry given when the request names none.</summary>
    public int DefaultExpires { get; init; } = 3600;

    /// <summary>Shortest expiry accepted; shorter (non-zero) gets 423 with Min-Expires.</summary>
    public int MinExpires { get; init; } = 60;

    /// <summary>Longest expiry granted; longer is cut to this.</summary>
    public int MaxExpires { get; init; } = 7200;

    /// <summary>Most contacts one agent may bind at once.</summary>
    public int MaxContactsPerUser { get; init; } = 10;
}
