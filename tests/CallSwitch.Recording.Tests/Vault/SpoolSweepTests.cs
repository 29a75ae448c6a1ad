using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>The vault's start-up sweep of its spool: what a crash left half-made goes, everything else stays.</summary>
public sealed class SpoolSweepTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-sweep-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());
    private readonly StringWriter _log = new();
    private readonly SqliteMetadataStore _store;

    public SpoolSweepTests() =>
        _store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(_folder, "data") });

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheSweepDeletesInterruptedRepairsAndEmptyFilesWithoutARowAndKeepsEverythingElse()
    {
        await _store.SaveCallAsync(new CallRecord
        {
            CallId = "call-1",
            Direction = CallDirection.Outbound,
            AgentId = "1001",
            StartedAt = Start,
            Recorded = true,
        });
        string day = Directory.CreateDirectory(Path.Combine(_folder, "2026", "03", "02")).FullName;
        string Spooled(Guid id) => Path.Combine(day, id.ToString("N") + ".ogg.enc");

        // A crash between creating the file and committing its row: empty, no row.
        string emptyOrphan = Spooled(Guid.CreateVersion7(Start));
        await File.WriteAllBytesAsync(emptyOrphan, []);

        // A crash during a repair: its temporary file, beside the original.
        string repair = Spooled(Guid.CreateVersion7(Start.AddSeconds(1))) + ".repair";
        await File.WriteAllBytesAsync(repair, [1, 2, 3]);

        // Kept: an empty file that has a row, a file with bytes and no row, another file.
        Guid withRow = await AddAsync(Start.AddSeconds(2), file: null);
        string emptyWithRow = Spooled(withRow);
        await File.WriteAllBytesAsync(emptyWithRow, []);
        string bytesNoRow = Spooled(Guid.CreateVersion7(Start.AddSeconds(3)));
        await File.WriteAllBytesAsync(bytesNoRow, [9, 9, 9]);
        string other = Path.Combine(day, "notes.txt");
        await File.WriteAllTextAsync(other, "kept");
        Serilog.ILogger log = TextLog.Create(_log);

        int deleted = await new RecordingVault(_folder, _keys).SweepSpoolAsync(_store, log);

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(emptyOrphan));
        Assert.False(File.Exists(repair));
        Assert.True(File.Exists(emptyWithRow) && File.Exists(bytesNoRow) && File.Exists(other));
        Assert.Contains("empty and without a row", _log.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await new RecordingVault(_folder, _keys).SweepSpoolAsync(_store, log));
        Assert.Equal(0, await new RecordingVault(Path.Combine(_folder, "no-such-spool"), _keys).SweepSpoolAsync(_store, log));
    }

    private Task<Guid> AddAsync(DateTimeOffset startedAt, byte[]? file, Guid? keyId = null) =>
        LeftInProgress.AddAsync(_store, _folder, startedAt, file, keyId);
}
