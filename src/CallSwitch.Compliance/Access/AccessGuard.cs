using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// The authorisation service as the entry points use it: decides through <see cref="IAuthorizer"/>,
/// and appends every denial to the audit log (who, what, on what, why refused) before answering.
/// </summary>
/// <remarks>Thread-safe; holds no state of its own.</remarks>
public sealed class AccessGuard
{
    /// <summary>The purpose written for a denied action whose actor gave none.</summary>
    public const string NoPurpose = "none stated";

    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the guard.</summary>
    public AccessGuard(IAuthorizer authorizer, IAuditLog audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        Authorizer = authorizer;
        _audit = audit;
        _time = time;
    }

    /// <summary>The service deciding (for callers that only need to know, e.g. to hide a button; nothing is audited then).</summary>
    public IAuthorizer Authorizer { get; }

    /// <summary>Decides; a denial is committed to the audit log before this returns.</summary>
    public async Task<AccessDecision> CheckAsync(
        Principal? principal,
        AccessAction action,
        AccessResource resource,
        AccessPurpose? purpose = null,
        CancellationToken cancellationToken = default)
    {
        AccessDecision decision = Authorizer.Decide(principal, action, resource, purpose);
        if (!decision.Allowed)
        {
            string purposeText = purpose is null || string.IsNullOrWhiteSpace(purpose.Purpose) ? NoPurpose : purpose.ToString();
            var denied = new AuditEvent(
                _time.GetUtcNow(),
                principal?.Name ?? "(anonymous)",
                AuditAction.AccessDenied,
                resource.RecordingId,
                purposeText,
                $"action={Code(action)} {resource.Describe()} reason={decision.Reason}");
            await _audit.AppendAuditAsync(denied, cancellationToken).ConfigureAwait(false);
        }

        return decision;
    }

    /// <summary>Like <see cref="CheckAsync"/>, throwing <see cref="AccessDeniedException"/> with the reason when denied.</summary>
    public async Task DemandAsync(
        Principal? principal,
        AccessAction action,
        AccessResource resource,
        AccessPurpose? purpose = null,
        CancellationToken cancellationToken = default)
    {
        AccessDecision decision = await CheckAsync(principal, action, resource, purpose, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw new AccessDeniedException(decision.Reason);
        }
    }

    /// <summary>The action as the audit log writes it: <c>supervise-listen</c>.</summary>
    public static string Code(AccessAction action) => EnumWords.Of(action);
}
