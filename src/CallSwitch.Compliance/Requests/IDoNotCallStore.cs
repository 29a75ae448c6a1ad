using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>The do-not-call list, kept in the store (it survives restarts; the YAML never holds it).</summary>
/// <remarks>Thread-safe.</remarks>
public interface IDoNotCallStore
{
    /// <summary>Lists numbers (an entry already there is left as it was); returns how many were new. One audit entry for the lot.</summary>
    Task<int> AddDoNotCallAsync(IReadOnlyList<DoNotCallEntry> entries, AuditEvent audit, CancellationToken cancellationToken = default);

    /// <summary>Takes a number off the list (for one campaign, or the every-campaign entry when null). False when it was not listed.</summary>
    Task<bool> RemoveDoNotCallAsync(string number, string? campaignId, AuditEvent audit, CancellationToken cancellationToken = default);

    /// <summary>The whole list, by number.</summary>
    Task<IReadOnlyList<DoNotCallEntry>> ListDoNotCallAsync(CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever the list does (one row read): whether a cache must reload.</summary>
    Task<long> DoNotCallVersionAsync(CancellationToken cancellationToken = default);
}
