using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Tests.Logging;

namespace CallSwitch.Server.Tests.Hosting;

/// <summary>
/// Start-up recovery over a store an earlier run left behind: recordings in progress whose files
/// are missing, empty or cannot be decrypted any more all get their rows completed (and say why in
/// the log), the calls left open get an end, and running it again changes nothing.
/// </summary>
public sealed class RecordingRecoveryTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-recovery-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());
    private readonly StringWriter _log = new();
    private readonly SqliteMetadataStore _store;

    public RecordingRecoveryTests() =>
        _store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(_folder, "data") });

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task RowsOfMissingEmptyAndUndecryptableFilesAreCompletedOpenCallsEndedAndASecondRunFindsNothing()
    {
        await _store.SaveCallAsync(new CallRecord
        {
            CallId = "call-1",
            Direction = CallDirection.Outbound,
            AgentId = "1001",
            CampaignId = "spring",
            ProspectNumber = "+33612345678",
            StartedAt = Start,
            AnsweredAt = Start.AddSeconds(3),
            Recorded = true,
        });
        Guid missing = await AddAsync(Start.AddSeconds(4), file: null);
        Guid empty = await AddAsync(Start.AddSeconds(5), file: []);
        byte[] undecryptable = EncryptedSample(out Guid keyId);
        Guid shredded = await AddAsync(Start.AddSeconds(6), undecryptable, keyId);
        _keys.Shred(keyId);
        Serilog.ILogger log = SwitchLog.Create(new LoggingConfig(), _log);

        var (recordings, calls) = await RecordingRecovery.RunAsync(_store, _keys, log);

        Assert.Equal((3, 1), (recordings, calls));
        foreach (Guid id in new[] { missing, empty })
        {
            RecordingMetadata row = (await _store.GetRecordingAsync(id))!;
            Assert.Equal(RecordingStatus.Incomplete, row.Status);
            Assert.Equal(TimeSpan.Zero, row.Duration);
            Assert.Equal(row.StartedAt, row.EndedAt);
            Assert.Null(row.FileSize);
            Assert.Null(row.CiphertextSha256);
            Assert.False(File.Exists(row.FilePath));
        }

        RecordingMetadata kept = (await _store.GetRecordingAsync(shredded))!;
        Assert.Equal(RecordingStatus.Incomplete, kept.Status);
        Assert.Equal(undecryptable, await File.ReadAllBytesAsync(kept.FilePath!));
        Assert.Equal(undecryptable.Length, kept.FileSize);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(undecryptable)), kept.CiphertextSha256);

        CallRecord call = (await _store.GetCallAsync("call-1"))!;
        Assert.Equal(RecordingRecovery.EndReason, call.EndReason);
        Assert.Equal(Start.AddSeconds(6), call.EndedAt);

        string text = _log.ToString();
        Assert.Contains($"Recording {missing:N} of call call-1 left by a crash was not repaired (Missing: no file)", text, StringComparison.Ordinal);
        Assert.Contains($"Recording {empty:N} of call call-1 left by a crash was not repaired (NoAudio:", text, StringComparison.Ordinal);
        Assert.Contains($"Recording {shredded:N} of call call-1 left by a crash was not repaired (Unreadable:", text, StringComparison.Ordinal);
        Assert.Contains("Start-up recovery: 3 of 3 recording(s) left in progress completed, 1 call(s) left open ended (switch-restart)", text, StringComparison.Ordinal);

        Assert.Equal((0, 0), await RecordingRecovery.RunAsync(_store, _keys, log));
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
        Serilog.ILogger log = SwitchLog.Create(new LoggingConfig(), _log);

        int deleted = await RecordingRecovery.SweepSpoolAsync(_store, _folder, log);

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(emptyOrphan));
        Assert.False(File.Exists(repair));
        Assert.True(File.Exists(emptyWithRow) && File.Exists(bytesNoRow) && File.Exists(other));
        Assert.Contains("empty and without a row", _log.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await RecordingRecovery.SweepSpoolAsync(_store, _folder, log));
        Assert.Equal(0, await RecordingRecovery.SweepSpoolAsync(_store, Path.Combine(_folder, "no-such-spool"), log));
    }

    private async Task<Guid> AddAsync(DateTimeOffset startedAt, byte[]? file, Guid? keyId = null)
    {
        var id = Guid.CreateVersion7(startedAt);
        string path = Path.Combine(_folder, id.ToString("N") + ".ogg.enc");
        if (file is not null)
        {
            await File.WriteAllBytesAsync(path, file);
        }

        await _store.AddRecordingAsync(new NewRecording
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

    private byte[] EncryptedSample(out Guid keyId)
    {
        using var file = new MemoryStream();
        using DataKey key = _keys.CreateDataKey();
        keyId = key.Id;
        using (var writer = new EncryptedRecordingWriter(file, key.Key, key.Id, leaveOpen: true))
        {
            writer.Write("OggS, or what looks like it"u8);
            writer.Flush();
        }

        return file.ToArray();
    }
}
