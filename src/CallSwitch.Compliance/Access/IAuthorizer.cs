namespace CallSwitch.Compliance.Access;

/// <summary>
/// The one authorisation service: decides every action of every entry point (CLI, HTTP API,
/// console, supervision). Pure and fast: no I/O, no lock held while deciding, so the switch's
/// call path and an HTTP handler may call it directly. Auditing a denial is
/// <see cref="AccessGuard"/>'s job.
/// </summary>
public interface IAuthorizer
{
    /// <summary>Decides whether <paramref name="principal"/> may do <paramref name="action"/> on <paramref name="resource"/>.</summary>
    /// <param name="principal">Who (null: nobody signed in, always denied).</param>
    /// <param name="action">What.</param>
    /// <param name="resource">On what.</param>
    /// <param name="purpose">Why; required to stream, download or extract a recording.</param>
    AccessDecision Decide(Principal? principal, AccessAction action, AccessResource resource, AccessPurpose? purpose = null);
}
