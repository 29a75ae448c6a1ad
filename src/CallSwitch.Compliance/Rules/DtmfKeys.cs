namespace CallSwitch.Compliance.Rules;

/// <summary>The key sequences (digits, * and #) an agent presses to control a recording.</summary>
public sealed record DtmfKeys
{
    /// <summary>Pauses the recording (e.g. while the prospect gives card details).</summary>
    public string Pause { get; init; } = "*1";

    /// <summary>Resumes a paused recording.</summary>
    public string Resume { get; init; } = "*2";

    /// <summary>Starts recording in on-demand mode.</summary>
    public string Start { get; init; } = "*3";

    /// <summary>The prospect objected: stops the recording and destroys what was recorded.</summary>
    public string Opposition { get; init; } = "*9";
}
