namespace CallSwitch.Recording.Timeline;

/// <summary>Timeline settings of a <see cref="StereoRecorder"/>. Immutable.</summary>
public sealed record StereoRecorderOptions
{
    /// <summary>
    /// How far the written frames trail wall-clock time: packets delayed or reordered by less
    /// than this still land in place (the jitter window).
    /// </summary>
    public TimeSpan PlayoutDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A timestamp-versus-arrival mismatch beyond this re-anchors the party (new talk spurt after a clock jump, SSRC reuse).</summary>
    public TimeSpan ResyncThreshold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a setting is outside its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PlayoutDelay, TimeSpan.FromMilliseconds(20), nameof(PlayoutDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PlayoutDelay, TimeSpan.FromSeconds(1), nameof(PlayoutDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncThreshold, PlayoutDelay * 2, nameof(ResyncThreshold));
    }
}
