
using CallSwitch.Compliance.Rules;
namespace CallSwitch.Calls.Recording;

/// <summary>
/// What a recording's metadata row is made of, known from its start: who, what, why, under which
/// rule, and where its audio is (nothing for a refusal made before any audio). Both a starting
/// recording (<see cref="RecordingStarted"/>) and a finished one (<see cref="RecordingResult"/>) give it.
/// </summary>
public interface IRecordingFacts
{
    /// <summary>The recording's id (32 hex digits, time-ordered).</summary>
    string RecordingId { get; }

    /// <summary>The call recorded.</summary>
    string CallId { get; }

    /// <summary>The campaign whose rule decided.</summary>
    string CampaignId { get; }

    /// <summary>The agent's extension.</summary>
    string Agent { get; }

    /// <summary>The prospect's number as the call plan has it (E.164 when the store may keep it).</summary>
    string ProspectNumber { get; }

    /// <summary>The id of the rule that decided.</summary>
    string RuleId { get; }

    /// <summary>The encrypted spool file; null when nothing was ever written.</summary>
    string? FilePath { get; }

    /// <summary>The data key's id; null when nothing was ever written.</summary>
    Guid? KeyId { get; }

    /// <summary>When recording started.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>When the notice ended, if it was played.</summary>
    DateTimeOffset? AnnouncementEndedAt { get; }

    /// <summary>SHA-256 of the notice's audio file, if it was played.</summary>
    string? AnnouncementSha256 { get; }

    /// <summary>Why the call is recorded.</summary>
    IReadOnlyList<string> Purposes { get; }

    /// <summary>The lawful basis.</summary>
    LegalBasis? LegalBasis { get; }

    /// <summary>When the recording must be purged.</summary>
    DateTimeOffset? RetentionDeadline { get; }
}
