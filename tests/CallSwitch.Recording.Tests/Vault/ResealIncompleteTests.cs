using System.Security.Cryptography;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>The re-seal of recordings a write failure (a full disk) left stored incomplete and unsealed.</summary>
public sealed class ResealIncompleteTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-reseal-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());
    private readonly SqliteMetadataStore _store;

    public ResealIncompleteTests() =>
        _store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(_folder, "data") });

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnUnsealedIncompleteRecordingIsResealedIntoAPlayableFileKeepingItsRowAndASecondRunChangesNothing()
    {
        using var vault = new RecordingVault(Path.Combine(_folder, "spool"), _keys);
        Guid id = Guid.CreateVersion7(Start);
        string path = vault.PathFor(Start, id.ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Guid keyId;
        using (DataKey key = _keys.CreateDataKey())
        using (FileStream file = File.Create(path))
        {
            keyId = key.Id;
            var encrypted = new EncryptedRecordingWriter(file, key.Key, key.Id, 64 * 1024, leaveOpen: true);
            var writer = new OpusRecordingWriter(encrypted, new StereoOpusEncoder(new StereoOpusEncoderOptions()), new RecordingTags("rec-full", "campaign-1"), serialNumber: 5);
            Signals.WriteConversation(writer, 16000, 175, _ => true, _ => true);

            // Neither completed nor disposed: the disk was full, the recorder gave up.
        }

        string unsealedSha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        await _store.SaveCallAsync(new CallRecord { CallId = "call-1", Direction = CallDirection.Outbound, AgentId = "1001", ProspectNumber = "+33612345678", StartedAt = Start, Recorded = true });
        await _store.AddRecordingAsync(new NewRecording
        {
            Id = id,
            CallId = "call-1",
            CampaignId = "campaign-1",
            AgentId = "1001",
            ProspectNumber = "+33612345678",
            StartedAt = Start,
            RuleId = "campaign-1:always",
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionUntil = Start.AddDays(30),
            KeyId = keyId,
            FilePath = path,
        });
        var pauses = new[] { new RecordingPause(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)) };
        await _store.CompleteRecordingAsync(id, new RecordingCompletion
        {
            EndedAt = Start.AddSeconds(10),
            Duration = TimeSpan.FromSeconds(10),
            Status = RecordingStatus.Incomplete,
            DroppedPackets = 120,
            Pauses = pauses,
            FileSize = new FileInfo(path).Length,
            CiphertextSha256 = unsealedSha,
        });
        var log = new StringWriter();

        var audit = new RepairAudit(_store, "ops-admin", TimeProvider.System);

        (int incomplete, int resealed) = await vault.ResealIncompleteAsync(_store, audit, TextLog.Create(log));

        Assert.Equal((1, 1), (incomplete, resealed));
        RecordingMetadata row = (await _store.GetRecordingAsync(id))!;
        Assert.Equal(RecordingStatus.Incomplete, row.Status);
        Assert.Equal(120, row.DroppedPackets);
        Assert.Equal(pauses, row.Pauses);
        Assert.Equal(Start.AddDays(30), row.RetentionUntil);
        Assert.Equal(Start.AddSeconds(10), row.EndedAt);
        Assert.NotEqual(unsealedSha, row.CiphertextSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), row.CiphertextSha256);
        Assert.Equal(new FileInfo(path).Length, row.FileSize);
        Assert.True(row.Duration > TimeSpan.Zero);

        // Playable: the sealed file decrypts to the end.
        await using (EncryptedRecordingReader reader = vault.OpenRecording(path))
        {
            using var plain = new MemoryStream();
            await reader.CopyToAsync(plain);
            Assert.Equal("OggS"u8.ToArray(), plain.ToArray()[..4]);
        }

        byte[] sealedBytes = await File.ReadAllBytesAsync(path);
        Assert.Equal((1, 0), await vault.ResealIncompleteAsync(_store, audit, TextLog.Create(log)));
        Assert.Equal(sealedBytes, await File.ReadAllBytesAsync(path));
        Assert.Contains("re-sealed", log.ToString(), StringComparison.Ordinal);

        // Audited each time: who, which recording, the outcome.
        AuditEntry[] repairs = [.. (await _store.ReadAuditForRecordingAsync(id)).Where(e => e.Event.Action == AuditAction.RecordingRepaired)];
        Assert.Equal(2, repairs.Length);
        Assert.All(repairs, e => Assert.Equal(("ops-admin", "repair"), (e.Event.Actor, e.Event.Purpose)));
        Assert.StartsWith("re-sealed (Repaired): ", repairs[0].Event.Detail, StringComparison.Ordinal);
        Assert.Equal("already sealed: unchanged", repairs[1].Event.Detail);
    }
}
