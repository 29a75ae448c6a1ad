namespace CallSwitch.Compliance.Rules;

/// <summary>When a campaign's calls are recorded (written always, on-demand, sample, never).</summary>
public enum RecordingMode
{
    /// <summary>Every call, from answer.</summary>
    Always,

    /// <summary>Only when the agent starts it (DTMF or API).</summary>
    OnDemand,

    /// <summary>A random share of calls (sample_percent).</summary>
    Sample,

    /// <summary>No call.</summary>
    Never,
}
