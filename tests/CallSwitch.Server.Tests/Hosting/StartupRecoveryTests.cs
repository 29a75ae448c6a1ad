using CallSwitch.Configuration;
using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Logging;
using CallSwitch.TestSupport;
using CallSwitch.Server.Tests.Logging;

namespace CallSwitch.Server.Tests.Hosting;

/// <summary>
/// Start-up recovery over a store an earlier run left behind: recordings in progress whose files
/// are missing, empty or cannot be decrypted any more all get their rows completed by the vault (and
/// say why in the log), the calls left open get an end, and running it again changes nothing.
/// </summary>
public sealed class StartupRecoveryTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-recovery-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());
    private readonly StringWriter _log = new();
    private readonly SqliteMetadataStore _store;

    private RecordingVault Vault => new(_folder, _keys);

    public StartupRecoveryTests() =>
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

        var (recordings, calls) = await StartupRecovery.RunAsync(_store, Vault, log);

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
        Assert.Equal(StartupRecovery.EndReason, call.EndReason);
        Assert.Equal(Start.AddSeconds(6), call.EndedAt);

        string text = _log.ToString();
        Assert.Contains($"Recording {missing:N} of call call-1 left by a crash was not repaired (Missing: no file)", text, StringComparison.Ordinal);
        Assert.Contains($"Recording {empty:N} of call call-1 left by a crash was not repaired (NoAudio:", text, StringComparison.Ordinal);
        Assert.Contains($"Recording {shredded:N} of call call-1 left by a crash was not repaired (Unreadable:", text, StringComparison.Ordinal);
        Assert.Contains("Start-up recovery: 3 of 3 recording(s) left in progress completed, 1 call(s) left open ended (switch-restart)", text, StringComparison.Ordinal);

        Assert.Equal((0, 0), await StartupRecovery.RunAsync(_store, Vault, log));
    }

    private Task<Guid> AddAsync(DateTimeOffset startedAt, byte[]? file, Guid? keyId = null) =>
        LeftInProgress.AddAsync(_store, _folder, startedAt, file, keyId);

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
