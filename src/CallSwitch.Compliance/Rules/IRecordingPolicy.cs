namespace CallSwitch.Compliance.Rules;

/// <summary>
/// Applies a campaign's rule to one call (<see cref="RecordingPolicy"/> is the one implementation
/// the switch runs). An interface so that a test build can put a faulty decorator in front of it
/// and prove that the self-test catches a switch recording against its rule.
/// </summary>
/// <remarks>Implementations are called concurrently, once per answered call.</remarks>
public interface IRecordingPolicy
{
    /// <summary>Decides for one call.</summary>
    RecordingDecision Decide(RecordingRule rule);
}
