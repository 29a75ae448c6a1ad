using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>Everything the store holds about one number: its calls, its recordings, the tombstones of the erased ones.</summary>
/// <param name="Calls">Calls whose prospect is the number (or whose number was replaced by its digest), oldest first.</param>
/// <param name="Recordings">Recordings of the number, tombstones found by the digest included, oldest first.</param>
public sealed record NumberRecords(IReadOnlyList<CallRecord> Calls, IReadOnlyList<RecordingMetadata> Recordings)
{
    /// <summary>Whether nothing at all is held.</summary>
    public bool IsEmpty => Calls.Count == 0 && Recordings.Count == 0;

    /// <summary>The recordings still there (not erased).</summary>
    public IEnumerable<RecordingMetadata> Live => Recordings.Where(r => !r.IsErased);

    /// <summary>The tombstones.</summary>
    public IEnumerable<RecordingMetadata> Erased => Recordings.Where(r => r.IsErased);
}
