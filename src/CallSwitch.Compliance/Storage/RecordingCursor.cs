namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The position after the last recording of a page (newest-first order: start time, then id).
/// Keyset paging: pages stay consistent while recordings are being added.
/// </summary>
/// <param name="StartedAt">The last recording's start.</param>
/// <param name="Id">The last recording's id.</param>
public sealed record RecordingCursor(DateTimeOffset StartedAt, Guid Id);
