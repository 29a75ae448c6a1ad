namespace CallSwitch.Compliance.Access;

/// <summary>
/// Why a recording is heard, downloaded or extracted: one of the campaign's declared purposes,
/// with a free-text reason (required for <see cref="Dispute"/>).
/// </summary>
/// <param name="Purpose">The purpose, as the campaign declares it.</param>
/// <param name="Reason">The free-text reason, if given.</param>
public sealed record AccessPurpose(string Purpose, string? Reason = null)
{
    /// <summary>The purpose that always needs a reason (which dispute, with whom).</summary>
    public const string Dispute = "dispute";

    /// <summary>The purpose and reason as the audit log keeps them.</summary>
    public override string ToString() => string.IsNullOrWhiteSpace(Reason) ? Purpose : $"{Purpose}: {Reason}";
}
