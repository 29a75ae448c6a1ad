using CallSwitch.Compliance.Rules;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// What a test build may change in a self-test run. Internal: no command-line option or
/// configuration key reaches it, so nobody can make a production self-test lie.
/// </summary>
internal sealed record SelfTestOptions
{
    /// <summary>
    /// Wraps the recording policy the isolated switch decides with: a test's faulty decorator
    /// (recording a campaign that says never) proves that the self-test catches it. Null: the
    /// production policy as is.
    /// </summary>
    public Func<IRecordingPolicy, IRecordingPolicy>? Policy { get; init; }

    /// <summary>How long a campaign's test calls may take beyond its notice's length.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(30);
}
