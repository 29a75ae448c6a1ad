namespace CallSwitch.Compliance.Storage;

/// <summary>Who holds a named lease in the store, and until when.</summary>
/// <param name="Holder">The holder's id (host, process, instance).</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
public sealed record RetentionLease(string Holder, DateTimeOffset ExpiresAt);
