using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Mixing;
using Serilog;

namespace CallSwitch.Calls.Supervision;

/// <summary>
/// Writes supervision to the append-only audit log: each refusal, each session's start, each
/// mode change with its time, each end with the session's duration. The actor is the
/// supervisor's extension; the detail names the call and the agent, never the prospect.
/// </summary>
/// <remarks>
/// Thread-safe. Each method returns the append's task; signalling does not wait for it (the
/// store's writer commits in order), a failure is logged.
/// </remarks>
public sealed class SupervisionAudit(IAuditLog log, TimeProvider time, ILogger logger)
{
    /// <summary>The purpose written with every entry.</summary>
    public const string Purpose = "supervision of a live call";

    /// <summary>A supervisor was refused <paramref name="agent"/>'s call.</summary>
    public Task Refused(string supervisor, string agent, SupervisionMode mode, string reason) =>
        Append(supervisor, AuditAction.SupervisionRefused, $"agent={agent} mode={Name(mode)} reason={reason}");

    /// <summary>A session started.</summary>
    public Task Started(string supervisor, string callId, string agent, SupervisionMode mode) =>
        Append(supervisor, AuditAction.SupervisionStarted, $"call={callId} agent={agent} mode={Name(mode)}");

    /// <summary>A session switched mode.</summary>
    public Task ModeChanged(string supervisor, string callId, string agent, SupervisionMode from, SupervisionMode to) =>
        Append(supervisor, AuditAction.SupervisionModeChanged, $"call={callId} agent={agent} from={Name(from)} to={Name(to)}");

    /// <summary>A session ended.</summary>
    public Task Ended(string supervisor, string callId, string agent, TimeSpan duration, string why) =>
        Append(supervisor, AuditAction.SupervisionEnded, FormattableString.Invariant($"call={callId} agent={agent} duration_ms={(long)duration.TotalMilliseconds} end={why}"));

    private static string Name(SupervisionMode mode) => mode.ToString().ToLowerInvariant();

    private async Task Append(string actor, AuditAction action, string detail)
    {
        try
        {
            await log.AppendAuditAsync(new AuditEvent(time.GetUtcNow(), actor, action, null, Purpose, detail)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The session goes on; the gap in the audit must be seen by whoever reads the logs.
            logger.Error(e, "Could not audit {Action} by {Actor}: {Detail}", action, actor, detail);
        }
    }
}
