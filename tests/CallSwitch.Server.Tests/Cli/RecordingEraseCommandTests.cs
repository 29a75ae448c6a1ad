using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch recordings erase</c>: the one eraser, so holds refuse it and a signed receipt is issued.</summary>
public sealed class RecordingEraseCommandTests : IDisposable
{
    private readonly string _config = ConfigFixture.WriteLocalConfig();

    private string Folder => Path.GetDirectoryName(_config)!;

    private string Data => Path.Combine(Folder, "data");

    private string Spool => Path.Combine(Folder, "spool");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    [Fact]
    public async Task ADpoErasesARecordingKeyFileAndRowWithAReceiptAndTheAuditEntryInTheirName()
    {
        (Guid id, _) = await RecordingCommandsTests.WriteOneRecordingAsync(Data, Spool);
        await RecordingCommandsTests.AddUserAsync(Data, Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));
        RecordingMetadata before = await GetAsync(id);

        var (code, output, error) = await RecordingCommandsTests.RunAsync("recordings", "erase", id.ToString("N"), "--reason", "erasure request", "--request", "R-7", "--config", _config);

        Assert.True(code == 0, error + output);
        Assert.Contains($"erased recording {id:D}", output, StringComparison.Ordinal);
        Assert.False(File.Exists(before.FilePath));
        using (RecordingVault vault = RecordingVault.OpenExisting(Data, Spool, Serilog.Core.Logger.None))
        {
            Assert.Throws<KeyNotFoundException>(() => vault.Keys.GetDataKey(before.KeyId!.Value));
        }

        await using SqliteMetadataStore store = Open();
        RecordingMetadata tombstone = (await store.GetRecordingAsync(id))!;
        Assert.True(tombstone.IsErased);
        Assert.Null(tombstone.ProspectNumber);
        Assert.NotNull(tombstone.ProspectNumberDigest);
        SignedErasureReceipt receipt = (await store.GetReceiptAsync(id))!;
        using (EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenExisting(Path.Combine(Data, EcdsaReceiptSigner.KeyFileName)))
        {
            Assert.True(EcdsaReceiptSigner.Verify(receipt.Document, receipt.Signature, signer.PublicKeyPem));
        }

        ErasureReceipt parsed = ErasureReceipt.Parse(receipt.Document);
        Assert.Equal((Environment.UserName, "erasure request", before.KeyId), (parsed.Actor, parsed.Reason, parsed.KeyId));
        AuditEntry erase = Assert.Single(await store.ReadAuditForRecordingAsync(id), e => e.Event.Action == AuditAction.Erase);
        Assert.Equal((Environment.UserName, "erasure request", "data-subject request R-7"), (erase.Event.Actor, erase.Event.Purpose, erase.Event.Detail));

        // Again: nothing more, said so.
        (code, output, _) = await RecordingCommandsTests.RunAsync("recordings", "erase", id.ToString("N"), "--reason", "again", "--config", _config);
        Assert.Equal(0, code);
        Assert.Contains("was already erased", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALegalHoldOnTheNumberRefusesTheErasureWithAClearMessageAndTouchesNothing()
    {
        (Guid id, _) = await RecordingCommandsTests.WriteOneRecordingAsync(Data, Spool);
        await RecordingCommandsTests.AddUserAsync(Data, Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));
        var (code, output, error) = await RecordingCommandsTests.RunAsync(
            "holds", "add", "--number", RecordingCommandsTests.Number, "--reason", "litigation", "--requested-by", "counsel", "--config", _config);
        Assert.True(code == 0, error + output);
        RecordingMetadata before = await GetAsync(id);

        (code, output, error) = await RecordingCommandsTests.RunAsync("recordings", "erase", id.ToString("N"), "--reason", "erasure request", "--config", _config);

        Assert.Equal(1, code);
        Assert.Equal($"recording {id:D} is under a legal hold: not erased (callswitch holds list; the hold must be released first)", error.Trim());
        Assert.True(File.Exists(before.FilePath));
        RecordingMetadata after = await GetAsync(id);
        Assert.True(after.IsPlayable);
        await using SqliteMetadataStore store = Open();
        Assert.Null(await store.GetReceiptAsync(id));
        Assert.DoesNotContain(await store.ReadAuditForRecordingAsync(id), e => e.Event.Action == AuditAction.Erase);
    }

    [Fact]
    public async Task AUserWithoutTheRightIsRefusedAndAuditedAndNothingIsErased()
    {
        (Guid id, _) = await RecordingCommandsTests.WriteOneRecordingAsync(Data, Spool);
        await RecordingCommandsTests.AddUserAsync(Data, Environment.UserName, new RoleGrant(Role.Quality, AccessScope.All));

        var (code, _, error) = await RecordingCommandsTests.RunAsync("recordings", "erase", id.ToString("N"), "--reason", "tidy up", "--config", _config);

        Assert.Equal(1, code);
        Assert.StartsWith($"erase refused to {Environment.UserName}: ", error, StringComparison.Ordinal);
        Assert.True((await GetAsync(id)).IsPlayable);
        await using SqliteMetadataStore store = Open();
        Assert.Contains(await store.ReadAuditForRecordingAsync(id), e => e.Event.Action == AuditAction.AccessDenied);
    }

    [Theory]
    [InlineData("not-an-id", "not a recording id: not-an-id")]
    [InlineData("0198d5a0-0000-7000-8000-000000000000", "no recording 0198d5a0-0000-7000-8000-000000000000")]
    public async Task ABadOrUnknownIdIsOneLine(string id, string message)
    {
        await RecordingCommandsTests.WriteOneRecordingAsync(Data, Spool);
        var (code, _, error) = await RecordingCommandsTests.RunAsync("recordings", "erase", id, "--reason", "r", "--config", _config);

        Assert.NotEqual(0, code);
        Assert.Equal(message, error.Trim());
    }

    private SqliteMetadataStore Open() => SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data });

    private async Task<RecordingMetadata> GetAsync(Guid id)
    {
        await using SqliteMetadataStore store = Open();
        return (await store.GetRecordingAsync(id))!;
    }
}
