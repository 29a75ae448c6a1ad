using CallSwitch.Compliance.Storage;

namespace CallSwitch.Retention;

/// <summary>What one retention run did (or, in a dry run, would do).</summary>
/// <param name="Scanned">Live recordings looked at.</param>
/// <param name="Purged">Recordings erased (in a dry run: that would be).</param>
/// <param name="Held">Due recordings kept because a legal hold covers them.</param>
/// <param name="Failed">Due recordings whose erasure failed (retried at the next run).</param>
/// <param name="Shortened">Deadlines brought forward by a shortened campaign retention.</param>
/// <param name="ExtractsPurged">Anonymised training extracts destroyed past their own deadline (in a dry run: that would be).</param>
/// <param name="BundlesPurged">Access bundles deleted past <c>retention.access_bundle_days</c> (in a dry run: that would be).</param>
/// <param name="BlockedBy">The other sidecar's lease when this one did not get it (nothing was purged then, or the run stopped when it was lost).</param>
internal sealed record RetentionRunSummary(long Scanned, long Purged, long Held, long Failed, long Shortened, RetentionLease? BlockedBy = null, long ExtractsPurged = 0, long BundlesPurged = 0);
