namespace CallSwitch.Compliance.Rules;

/// <summary>
/// When a recording must be purged: the one function that decides it, for the row written as the
/// recording starts, for the recording's result when it closes, after a crash repair, and for
/// the retention sidecar when it recomputes deadlines after a campaign's retention changed.
/// </summary>
/// <remarks>
/// The deadline counts from the recording's start: known when its row is created, the same
/// whether the recording closed normally or was repaired after a crash (which cannot know the
/// true end), and recomputable from the stored row alone.
/// </remarks>
public static class RetentionPolicy
{
    /// <summary>The purge deadline of a recording started at <paramref name="recordingStart"/> under <paramref name="rule"/>; null when the rule sets no retention.</summary>
    public static DateTimeOffset? Deadline(RecordingRule rule, DateTimeOffset recordingStart)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.RetentionDays is { } days ? recordingStart.AddDays(days) : null;
    }

    /// <summary>
    /// The deadline that applies now to a recording already made: its stored deadline, brought
    /// forward if its campaign's rule is now shorter (the GDPR forbids keeping it longer than the
    /// stated need); a longer rule applies to new recordings only, so it never pushes it back.
    /// </summary>
    /// <param name="stored">The deadline stored when the recording was made.</param>
    /// <param name="currentRule">The campaign's rule as configured now; null if the campaign is gone (the stored deadline stands).</param>
    /// <param name="recordingStart">When the recording started.</param>
    public static DateTimeOffset Effective(DateTimeOffset stored, RecordingRule? currentRule, DateTimeOffset recordingStart) =>
        currentRule is not null && Deadline(currentRule, recordingStart) is { } now && now < stored ? now : stored;
}
