namespace CallSwitch.Compliance.Requests;

/// <summary>Whether a restriction (GDPR Art. 18) freezes a number's recordings: asked by <see cref="Storage.RecordingAccess"/> before anyone hears one.</summary>
public interface IRestrictionLookup
{
    /// <summary>Whether a restriction in force covers <paramref name="number"/> (E.164).</summary>
    Task<bool> IsRestrictedAsync(string number, CancellationToken cancellationToken = default);
}
