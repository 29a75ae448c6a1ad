using CallSwitch.Compliance.Storage;

namespace CallSwitch.Recording.Vault;

/// <summary>Who repairs recordings and where it is audited: one entry per recording looked at (actor, recording, outcome).</summary>
/// <param name="Log">The audit log (the store).</param>
/// <param name="Actor">Who runs the repair (the OS user of <c>callswitch recordings repair</c>).</param>
/// <param name="Time">The audit entries' clock.</param>
public sealed record RepairAudit(IAuditLog Log, string Actor, TimeProvider Time)
{
    /// <summary>The reason written in each entry.</summary>
    public const string Reason = "repair";
}
