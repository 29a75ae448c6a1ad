using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.TestSupport;

/// <summary>Recording rows an earlier run left in progress, as a crash leaves them: for the start-up recovery and spool sweep tests.</summary>
public static class LeftInProgress
{
    /// <summary>
    /// Adds the in-progress row of a recording of call "call-1" (which must be saved) started at
    /// <paramref name="startedAt"/>, its file <c>{folder}/{id}.ogg.enc</c> written with <paramref name="file"/>
    /// (no file when null), its data key <paramref name="keyId"/> (a fresh id by default).
    /// </summary>
    /// <returns>The recording's id.</returns>
    public static async Task<Guid> AddAsync(IRecordingStore store, string folder, DateTimeOffset startedAt, byte[]? file, Guid? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = Guid.CreateVersion7(startedAt);
        string path = Path.Combine(folder, id.ToString("N") + ".ogg.enc");
        if (file is not null)
        {
            await File.WriteAllBytesAsync(path, file);
        }

        await store.AddRecordingAsync(new NewRecording
        {
            Id = id,
            CallId = "call-1",
            CampaignId = "spring",
            AgentId = "1001",
            ProspectNumber = "+33612345678",
            StartedAt = startedAt,
            RuleId = "spring:always",
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionUntil = startedAt.AddDays(30),
            KeyId = keyId ?? Guid.NewGuid(),
            FilePath = path,
        });
        return id;
    }
}
