using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;
using Serilog.Core;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch holds add|list|release</c>, run in-process.</summary>
public class HoldCommandsTests
{
    [Fact]
    public async Task AHoldOnANumberIsPlacedByItsDigestListedAndReleasedAudited()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            await RecordingCommandsTests.WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));

            var (code, output, error) = await RecordingCommandsTests.RunAsync(
                "holds", "add", "--number", "06 12 34 56 78", "--reason", "contested appointment", "--requested-by", "customer service", "--config", config);
            Assert.True(code == 0, error);
            Assert.StartsWith("placed hold ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("612345678", output, StringComparison.Ordinal);
            string holdId = output.Split(' ')[2];

            (code, output, error) = await RecordingCommandsTests.RunAsync("holds", "list", "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains($"{holdId}  number (digest ", output, StringComparison.Ordinal);
            Assert.Contains("requested by customer service, placed by " + Environment.UserName, output, StringComparison.Ordinal);
            Assert.DoesNotContain("612345678", output, StringComparison.Ordinal);

            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            using (RecordingVault vault = RecordingVault.OpenExisting(data, Path.Combine(folder, "spool"), Logger.None))
            {
                LegalHold hold = Assert.Single(await store.ListHoldsAsync(includeReleased: false));
                Assert.Equal(vault.Digest("+33612345678"), hold.Hold.NumberDigest);
            }

            (code, output, error) = await RecordingCommandsTests.RunAsync("holds", "release", holdId, "--reason", "settled", "--config", config);
            Assert.True(code == 0, error);
            (code, _, error) = await RecordingCommandsTests.RunAsync("holds", "release", holdId, "--reason", "settled", "--config", config);
            Assert.Equal(1, code);
            Assert.Contains("no active hold", error, StringComparison.Ordinal);

            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                IReadOnlyList<AuditEntry> audit = await store.ReadAuditAsync(0, 100);
                Assert.Single(audit, e => e.Event.Action == AuditAction.LegalHoldPlaced && e.Event.Actor == Environment.UserName);
                Assert.Single(audit, e => e.Event.Action == AuditAction.LegalHoldReleased && e.Event.Purpose == "settled");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("holds", "add", "--reason", "r", "--requested-by", "x")]
    [InlineData("holds", "add", "--campaign", "demo-fr", "--call", "c1", "--reason", "r", "--requested-by", "x")]
    [InlineData("holds", "add", "--from", "2026-03-02", "--to", "2026-03-01", "--reason", "r", "--requested-by", "x")]
    [InlineData("holds", "add", "--recording", "nope", "--reason", "r", "--requested-by", "x")]
    [InlineData("holds", "add", "--campaign", "demo-fr", "--requested-by", "x")]
    public async Task AnIncompleteOrAmbiguousHoldIsRefusedInOneLineWithExitCodeTwo(params string[] args)
    {
        var (code, _, error) = await RecordingCommandsTests.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
