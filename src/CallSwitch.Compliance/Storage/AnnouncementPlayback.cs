namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The GDPR announcement was played to the prospect: when, and which file (by content hash, so
/// the exact wording can be proven later even if the file on disk changes). Absent means it was
/// not played.
/// </summary>
/// <param name="At">When the announcement started playing.</param>
/// <param name="FileSha256">SHA-256 of the announcement file, 64 hex digits.</param>
public sealed record AnnouncementPlayback(DateTimeOffset At, string FileSha256);
