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

    /// <summary>
    /// The timeline's rate: 16000 (wideband; G.722 as it is, G.711 upsampled 2×) or 8000 (when
    /// both parties are narrowband: G.711 as it is, half the samples to place and encode, no
    /// upsampling, and nothing lost since G.711 carries nothing above 4 kHz).
    /// </summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Throws when a setting is outside its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PlayoutDelay, TimeSpan.FromMilliseconds(20), nameof(PlayoutDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PlayoutDelay, TimeSpan.FromSeconds(1), nameof(PlayoutDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncThreshold, PlayoutDelay * 2, nameof(ResyncThreshold));
        if (SampleRate is not (8000 or 16000))
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "The timeline runs at 8000 or 16000 Hz.");
        }
    }
}
