using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;
using Serilog.Core;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch retention status</c> on a store with a kept, held recording and one purged in the last run.</summary>
public class RetentionStatusCommandTests
{
    [Fact]
    public async Task ShowsPerCampaignKeptBytesNextDeadlineHeldAndPurgedInTheLastRun()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        string spool = Path.Combine(folder, "spool");
        try
        {
            var (kept, _) = await RecordingCommandsTests.WriteOneRecordingAsync(data, spool);
            long bytes;
            using (RecordingVault vault = RecordingVault.OpenExisting(data, spool, Logger.None))
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data, NumberDigest = vault.Digest }))
            using (EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(data, EcdsaReceiptSigner.KeyFileName)))
            {
                bytes = (await store.GetRecordingAsync(kept))!.FileSize!.Value;
                Guid purged = Guid.CreateVersion7();
                var started = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
                await store.AddRecordingAsync(new NewRecording
                {
                    Id = purged,
                    CallId = "call-1",
                    CampaignId = "spring",
                    AgentId = "1001",
                    ProspectNumber = "+33698765432",
                    StartedAt = started,
                    RuleId = "spring:always",
                    Purposes = ["training"],
                    LegalBasis = LegalBasis.LegitimateInterest,
                    RetentionUntil = started.AddDays(30),
                    KeyId = Guid.NewGuid(),
                    FilePath = Path.Combine(spool, purged.ToString("N") + ".ogg.enc"),
                });
                await store.CompleteRecordingAsync(purged, new RecordingCompletion
                {
                    EndedAt = started.AddSeconds(10), Duration = TimeSpan.FromSeconds(10), Status = RecordingStatus.Complete, FileSize = 999,
                });
                DateTimeOffset runStart = DateTimeOffset.UtcNow;
                var eraser = new RecordingEraser(store, store, vault, vault, signer, TimeProvider.System);
                Assert.Equal(ErasureOutcome.Erased, await eraser.EraseAsync(new ErasureRequest(purged, "retention", "retention-expired")));
                await store.RecordRetentionRunAsync(new RetentionRun(runStart, DateTimeOffset.UtcNow, runStart, 1, 0, 0));
                await store.PlaceHoldAsync(new NewLegalHold { Scope = LegalHoldScope.Number, NumberDigest = vault.Digest("+33612345678"), Reason = "r", RequestedBy = "c", PlacedBy = "d" });
            }

            var (code, output, error) = await RecordingCommandsTests.RunAsync("retention", "status", "--config", config);

            Assert.True(code == 0, error);
            string line = Assert.Single(output.Split('\n'), l => l.StartsWith("spring ", StringComparison.Ordinal));
            Assert.Equal(["spring", "1", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "-", "1", "1"], line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("1 purged, 0 held, 0 failed", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
