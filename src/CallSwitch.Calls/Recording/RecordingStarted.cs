
using CallSwitch.Compliance.Rules;
namespace CallSwitch.Calls.Recording;

/// <summary>
/// A recording has just started (raised by <see cref="RecordingService.Started"/>): what its
/// metadata row needs, and a way for the handler that saves it to hold the audio back until the
/// row is committed (<see cref="HoldAudioUntil"/>), so that no audio reaches the spool without a
/// record.
/// </summary>
/// <remarks>
/// The spool file already exists (empty) when this is raised; its bytes, headers included, are kept
/// in memory until every task given to <see cref="HoldAudioUntil"/> has completed (or failed),
/// or <see cref="RecordingService.AudioHoldLimit"/> has passed. The relay and the recorder's
/// timeline never wait for it. Handlers run on the thread that started the recording (often the
/// call's signalling thread): they queue work and return.
/// </remarks>
public sealed class RecordingStarted : IRecordingFacts
{
    private readonly List<Task> _holds = [];

    /// <summary>The recording's id (32 hex digits, time-ordered).</summary>
    public required string RecordingId { get; init; }

    /// <summary>The call recorded.</summary>
    public required string CallId { get; init; }

    /// <summary>The campaign whose rule decided.</summary>
    public required string CampaignId { get; init; }

    /// <summary>The agent's extension.</summary>
    public required string Agent { get; init; }

    /// <summary>The prospect's number as the call plan has it (E.164 for trunk calls).</summary>
    public required string ProspectNumber { get; init; }

    /// <summary>The id of the rule that decided.</summary>
    public required string RuleId { get; init; }

    /// <summary>The encrypted file.</summary>
    public required string FilePath { get; init; }

    /// <summary>The data key's id.</summary>
    public required Guid KeyId { get; init; }

    /// <inheritdoc />
    Guid? IRecordingFacts.KeyId => KeyId;

    /// <summary>When recording started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the notice ended, if it already had (the recording started at the connection).</summary>
    public required DateTimeOffset? AnnouncementEndedAt { get; init; }

    /// <summary>SHA-256 of the notice file, if the call has one.</summary>
    public required string? AnnouncementSha256 { get; init; }

    /// <summary>Why the call is recorded, as configured.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>The lawful basis, if configured.</summary>
    public required LegalBasis? LegalBasis { get; init; }

    /// <summary>When it must be purged (<see cref="RetentionPolicy.Deadline"/>), if the rule sets a retention; the recording keeps it when it closes or is repaired.</summary>
    public required DateTimeOffset? RetentionDeadline { get; init; }

    /// <summary>Keeps the recording's bytes out of the spool file until <paramref name="saved"/> completes, successfully or not.</summary>
    public void HoldAudioUntil(Task saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        lock (_holds)
        {
            _holds.Add(saved);
        }
    }

    /// <summary>Completes when every hold has completed (never faults).</summary>
    internal Task Holds()
    {
        Task[] holds;
        lock (_holds)
        {
            holds = [.. _holds];
        }

        return holds.Length == 0 ? Task.CompletedTask : Task.WhenAll(holds).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
