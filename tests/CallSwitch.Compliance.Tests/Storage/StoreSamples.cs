using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>Calls and recordings with every field set, for the store tests.</summary>
internal static class StoreSamples
{
    /// <summary>A Friday morning in Paris, written with its offset on purpose: the store must keep the instant.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 10, 0, 0, TimeSpan.FromHours(1));

    public static string Sha(char digit) => new(digit, 64);

    public static CallRecord Call(string callId, DateTimeOffset? startedAt = null, string number = "+33612345678") => new()
    {
        CallId = callId,
        Direction = CallDirection.Outbound,
        AgentId = "alice",
        CampaignId = "acme-fr",
        ProspectNumber = number,
        StartedAt = startedAt ?? T0,
        AnsweredAt = (startedAt ?? T0).AddSeconds(7),
        EndedAt = (startedAt ?? T0).AddMinutes(3),
        EndReason = "ProspectHungUp",
        Announcement = new AnnouncementPlayback((startedAt ?? T0).AddSeconds(7.5), Sha('a')),
        Recorded = true,
    };

    public static NewRecording Recording(
        Guid id,
        string callId,
        string number = "+33612345678",
        string campaign = "acme-fr",
        string agent = "alice",
        DateTimeOffset? startedAt = null) => new()
    {
        Id = id,
        CallId = callId,
        CampaignId = campaign,
        AgentId = agent,
        ProspectNumber = number,
        StartedAt = startedAt ?? T0.AddSeconds(8),
        RuleId = $"{campaign}/always",
        Announcement = new AnnouncementPlayback((startedAt ?? T0).AddSeconds(7.5), Sha('b')),
        Purposes = ["quality", "training"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionUntil = (startedAt ?? T0).AddDays(90),
        KeyId = Guid.NewGuid(),
        FilePath = $"/var/spool/callswitch/{id:N}.ogg.enc",
    };

    public static RecordingCompletion Completion(DateTimeOffset startedAt) => new()
    {
        EndedAt = startedAt.AddMinutes(2).AddMilliseconds(480),
        Duration = TimeSpan.FromMilliseconds(144_480),
        Status = RecordingStatus.Incomplete,
        DroppedPackets = 17,
        Pauses = [new RecordingPause(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(52.5)), new RecordingPause(TimeSpan.FromSeconds(140), null)],
        Barges = [new RecordingBarge(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(75.25)), new RecordingBarge(TimeSpan.FromSeconds(130), null)],
        FileSize = 1_234_567,
        CiphertextSha256 = Sha('C'),
    };

    /// <summary>Saves a call and a recording of it; returns the recording.</summary>
    public static async Task<NewRecording> AddAsync(
        IMetadataStore store,
        string number = "+33612345678",
        string campaign = "acme-fr",
        string agent = "alice",
        DateTimeOffset? startedAt = null)
    {
        Guid id = Guid.NewGuid();
        string callId = "call-" + id.ToString("N");
        await store.SaveCallAsync(Call(callId, startedAt, number));
        NewRecording recording = Recording(id, callId, number, campaign, agent, startedAt);
        await store.AddRecordingAsync(recording);
        return recording;
    }
}
