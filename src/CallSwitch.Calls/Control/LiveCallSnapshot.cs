using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Calls.Control;

/// <summary>
/// A live call as seen from outside the call machinery, at one instant. Immutable. It holds no
/// phone number by design (see <see cref="ICallControl.TryGetProspectNumber"/>).
/// </summary>
/// <param name="Id">The call's id (<see cref="B2buaCall.Id"/>, in every log line about it).</param>
/// <param name="Agent">The agent's extension.</param>
/// <param name="Campaign">The campaign, when one applies.</param>
/// <param name="Direction">Who placed the call: the agent (outbound) or the prospect (inbound).</param>
/// <param name="Phase">Where the call stands.</param>
/// <param name="StartedAt">When the caller's INVITE arrived.</param>
/// <param name="AnsweredAt">When the callee answered, if it did.</param>
/// <param name="Recording">Where its recording stands.</param>
public sealed record LiveCallSnapshot(
    string Id,
    string Agent,
    string? Campaign,
    CallDirection Direction,
    CallPhase Phase,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    RecordingState Recording)
{
    /// <summary>Whether the call was answered and has not ended: what "the agent's call" means to a CRM.</summary>
    public bool IsAnswered => AnsweredAt is not null && Phase != CallPhase.Ended;

    internal static LiveCallSnapshot Of(B2buaCall call)
    {
        CallProgress progress = call.Progress;
        return new LiveCallSnapshot(
            call.Id,
            call.Plan.Agent,
            call.Plan.CampaignId,
            call.Plan.Caller == Media.CallParty.Prospect ? CallDirection.Inbound : CallDirection.Outbound,
            progress.Phase,
            call.StartedAt,
            progress.AnsweredAt,
            call.RecordingLink.State);
    }
}
