namespace CallSwitch.Compliance.Requests;

/// <summary>"Was I recorded?", answered from the store: the recordings still held and the tombstones of the erased ones (found by the number's keyed hash).</summary>
/// <param name="Calls">Calls of the number still on record (its number in clear or replaced by the digest).</param>
/// <param name="Recordings">Recordings still held.</param>
/// <param name="ErasedAt">When each erased recording was erased, oldest first.</param>
public sealed record RecordedAnswer(int Calls, int Recordings, IReadOnlyList<DateTimeOffset> ErasedAt);
