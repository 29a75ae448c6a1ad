namespace CallSwitch.Compliance.Kpi;

/// <summary>Computes the indicators from the metadata store.</summary>
public interface IKpiSource
{
    /// <summary>The indicators of a period (and campaign).</summary>
    /// <exception cref="ArgumentException">The period is empty or reversed.</exception>
    Task<KpiReport> ComputeKpiAsync(KpiQuery query, CancellationToken cancellationToken = default);
}
