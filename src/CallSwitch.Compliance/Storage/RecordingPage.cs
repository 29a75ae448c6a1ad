namespace CallSwitch.Compliance.Storage;

/// <summary>One page of recordings matching a query.</summary>
/// <param name="Items">The recordings, newest first.</param>
/// <param name="TotalCount">How many recordings match the query, on all pages.</param>
/// <param name="NextCursor">Where the next page starts; null on the last page.</param>
public sealed record RecordingPage(IReadOnlyList<RecordingMetadata> Items, long TotalCount, RecordingCursor? NextCursor)
{
    /// <summary>The query for the next page, or null on the last page.</summary>
    public RecordingQuery? NextQuery(RecordingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return NextCursor is null ? null : query with { After = NextCursor };
    }
}
