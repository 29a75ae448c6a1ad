namespace CallSwitch.Recording.Timeline;

/// <summary>A span of the recording that is silence because recording was paused.</summary>
/// <param name="Start">Offset from the recording's start where the pause began.</param>
/// <param name="End">Offset where it ended; null while the pause lasts.</param>
public readonly record struct PauseSpan(TimeSpan Start, TimeSpan? End)
{
    /// <summary>Whether the frame [<paramref name="from"/>, <paramref name="to"/>) overlaps this span.</summary>
    public bool Overlaps(TimeSpan from, TimeSpan to) => Start < to && (End is null || End.Value > from);
}
