
using CallSwitch.Compliance.Rules;
namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>
/// How values are written in the database. Instants are microseconds since the Unix epoch (UTC)
/// in INTEGER columns: they sort and compare as numbers, and PostgreSQL's timestamptz keeps the
/// same precision. Enums are stable lower-case words, not ordinals, so reordering an enum in code
/// never changes what old rows mean.
/// </summary>
internal static class SqliteCodes
{
    public static long ToMicros(DateTimeOffset instant) =>
        (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);

    public static long ToMicros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    public static TimeSpan SpanFromMicros(long micros) => TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond);

    public static string ToCode(Guid id) => id.ToString("D");

    public static string ToCode(CallDirection direction) => direction switch
    {
        CallDirection.Inbound => "inbound",
        CallDirection.Outbound => "outbound",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    public static CallDirection ToDirection(string code) => code switch
    {
        "inbound" => CallDirection.Inbound,
        "outbound" => CallDirection.Outbound,
        _ => throw Unknown("direction", code),
    };

    public static string ToCode(RecordingStatus status) => status switch
    {
        RecordingStatus.InProgress => "in-progress",
        RecordingStatus.Complete => "complete",
        RecordingStatus.Incomplete => "incomplete",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static RecordingStatus ToStatus(string code) => code switch
    {
        "in-progress" => RecordingStatus.InProgress,
        "complete" => RecordingStatus.Complete,
        "incomplete" => RecordingStatus.Incomplete,
        _ => throw Unknown("status", code),
    };

    public static string ToCode(OppositionSource source) => source switch
    {
        OppositionSource.Agent => "agent",
        OppositionSource.Prospect => "prospect",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static OppositionSource ToOppositionSource(string code) => code switch
    {
        "agent" => OppositionSource.Agent,
        "prospect" => OppositionSource.Prospect,
        _ => throw Unknown("opposition", code),
    };

    public static string ToCode(LegalBasis basis) => basis switch
    {
        LegalBasis.Consent => "consent",
        LegalBasis.LegitimateInterest => "legitimate-interest",
        LegalBasis.Contract => "contract",
        LegalBasis.LegalObligation => "legal-obligation",
        _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, null),
    };

    public static LegalBasis ToLegalBasis(string code) => code switch
    {
        "consent" => LegalBasis.Consent,
        "legitimate-interest" => LegalBasis.LegitimateInterest,
        "contract" => LegalBasis.Contract,
        "legal-obligation" => LegalBasis.LegalObligation,
        _ => throw Unknown("legal basis", code),
    };

    public static string ToCode(AuditAction action) => action switch
    {
        AuditAction.View => "view",
        AuditAction.Export => "export",
        AuditAction.Play => "play",
        AuditAction.Search => "search",
        AuditAction.Erase => "erase",
        AuditAction.LegalHoldPlaced => "legal-hold-placed",
        AuditAction.LegalHoldReleased => "legal-hold-released",
        AuditAction.LegalHoldExpired => "legal-hold-expired",
        AuditAction.UserAdded => "user-added",
        AuditAction.UserDisabled => "user-disabled",
        AuditAction.UserEnabled => "user-enabled",
        AuditAction.PasswordChanged => "password-changed",
        AuditAction.RoleGranted => "role-granted",
        AuditAction.RoleRevoked => "role-revoked",
        AuditAction.AccessDenied => "access-denied",
        AuditAction.Login => "login",
        AuditAction.LoginFailed => "login-failed",
        AuditAction.Extract => "extract",
        AuditAction.SupervisionStarted => "supervision-started",
        AuditAction.SupervisionModeChanged => "supervision-mode-changed",
        AuditAction.SupervisionEnded => "supervision-ended",
        AuditAction.SupervisionRefused => "supervision-refused",
        AuditAction.RecordingRepaired => "recording-repaired",
        AuditAction.ExtractPurged => "extract-purged",
        AuditAction.RequestOpened => "request-opened",
        AuditAction.RequestFulfilled => "request-fulfilled",
        AuditAction.RequestRejected => "request-rejected",
        AuditAction.RestrictionLifted => "restriction-lifted",
        AuditAction.DoNotCallChanged => "do-not-call-changed",
        AuditAction.CallNumbersRedacted => "call-numbers-redacted",
        AuditAction.RequestBundleWritten => "request-bundle-written",
        AuditAction.RequestBundleDeleted => "request-bundle-deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static AuditAction ToAuditAction(string code) => code switch
    {
        "view" => AuditAction.View,
        "export" => AuditAction.Export,
        "play" => AuditAction.Play,
        "search" => AuditAction.Search,
        "erase" => AuditAction.Erase,
        "legal-hold-placed" => AuditAction.LegalHoldPlaced,
        "legal-hold-released" => AuditAction.LegalHoldReleased,
        "legal-hold-expired" => AuditAction.LegalHoldExpired,
        "user-added" => AuditAction.UserAdded,
        "user-disabled" => AuditAction.UserDisabled,
        "user-enabled" => AuditAction.UserEnabled,
        "password-changed" => AuditAction.PasswordChanged,
        "role-granted" => AuditAction.RoleGranted,
        "role-revoked" => AuditAction.RoleRevoked,
        "access-denied" => AuditAction.AccessDenied,
        "login" => AuditAction.Login,
        "login-failed" => AuditAction.LoginFailed,
        "extract" => AuditAction.Extract,
        "supervision-started" => AuditAction.SupervisionStarted,
        "supervision-mode-changed" => AuditAction.SupervisionModeChanged,
        "supervision-ended" => AuditAction.SupervisionEnded,
        "supervision-refused" => AuditAction.SupervisionRefused,
        "recording-repaired" => AuditAction.RecordingRepaired,
        "extract-purged" => AuditAction.ExtractPurged,
        "request-opened" => AuditAction.RequestOpened,
        "request-fulfilled" => AuditAction.RequestFulfilled,
        "request-rejected" => AuditAction.RequestRejected,
        "restriction-lifted" => AuditAction.RestrictionLifted,
        "do-not-call-changed" => AuditAction.DoNotCallChanged,
        "call-numbers-redacted" => AuditAction.CallNumbersRedacted,
        "request-bundle-written" => AuditAction.RequestBundleWritten,
        "request-bundle-deleted" => AuditAction.RequestBundleDeleted,
        _ => throw Unknown("audit action", code),
    };

    private static InvalidDataException Unknown(string what, string code) =>
        new($"The metadata database holds an unknown {what} '{code}'.");
}
