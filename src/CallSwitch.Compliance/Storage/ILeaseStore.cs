namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Named leases in the store: of two retention sidecars started by mistake on one store, only the
/// lease's holder purges. A lease lapses at its expiry, so a holder killed with -9 blocks nobody for long.
/// </summary>
/// <remarks>Thread-safe; acquiring is one atomic statement.</remarks>
public interface ILeaseStore
{
    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="now"/> + <paramref name="duration"/>, unless another holder has it unexpired.
    /// </summary>
    /// <returns>Null when <paramref name="holder"/> has it now; otherwise the other holder's lease.</returns>
    Task<RetentionLease?> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up if <paramref name="holder"/> has it.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default);
}
