using System.Diagnostics.CodeAnalysis;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>
/// A recording's data key is stored at the call's set-up without waiting for the disk, and made
/// durable by the vault's writer before the file's first byte: the set-up never blocks on an
/// fsync, and nothing encrypted with a key reaches the disk before the key does.
/// </summary>
public sealed class RecorderKeyDurabilityTests : IDisposable
{
    private static readonly Dictionary<int, AudioCodecInfo> Pcmu = new() { [0] = AudioCodecInfo.Pcmu };
    private readonly string _spool = Directory.CreateTempSubdirectory("cs-keys-").FullName;
    private readonly List<string> _events = [];

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    [Fact]
    public async Task TheKeyIsStoredWithoutWaitingAndMadeDurableBeforeTheFilesFirstByte()
    {
        StallingFile? file = null;
        var store = new SpyKeyStore(_events, () => file!.Written);
        using var vault = new RecordingVault(_spool, new RecordingKeyManager(store, MasterKey.Generate()))
        {
            FileWrapper = f => file = new StallingFile(f),
        };

        CallRecorder recorder = vault.CreateRecorder(Guid.CreateVersion7().ToString("N"), DateTimeOffset.UtcNow, "campaign", TimeProvider.System, Pcmu, Pcmu);
        Assert.Equal([$"pending {recorder.KeyId}"], Events());

        // The bytes wait for the row: nothing written, the key not flushed yet.
        var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.Start(saved.Task, TimeSpan.FromSeconds(30), () => { });
        await Task.Delay(100);
        Assert.Equal([$"pending {recorder.KeyId}"], Events());
        Assert.Equal(0, file!.Written);

        saved.SetResult();
        await Poll.UntilAsync(() => file.Written > 0, "the file's first byte");
        RecorderSummary summary = await recorder.StopAsync();

        Assert.Null(summary.Failure);
        Assert.Equal(RecordingStatus.Complete, summary.Status);
        Assert.Equal([$"pending {recorder.KeyId}", $"durable {recorder.KeyId} with 0 bytes in the file"], Events());
        using EncryptedRecordingReader reader = vault.OpenRecording(recorder.FilePath);
        reader.CopyTo(Stream.Null);
    }

    [Fact]
    public async Task AKeyThatCannotBeMadeDurableFailsItsRecordingBeforeAnyByteIsWritten()
    {
        StallingFile? file = null;
        var store = new SpyKeyStore(_events, () => file!.Written) { FailDurable = true };
        using var vault = new RecordingVault(_spool, new RecordingKeyManager(store, MasterKey.Generate()))
        {
            FileWrapper = f => file = new StallingFile(f),
        };

        CallRecorder recorder = vault.CreateRecorder(Guid.CreateVersion7().ToString("N"), DateTimeOffset.UtcNow, "campaign", TimeProvider.System, Pcmu, Pcmu);
        recorder.Start(Task.CompletedTask, TimeSpan.FromSeconds(30), () => { });
        RecorderSummary summary = await recorder.StopAsync();

        Assert.IsType<IOException>(summary.Failure);
        Assert.Equal(RecordingStatus.Incomplete, summary.Status);
        Assert.Equal(0, file!.Written);
        Assert.Equal(0, new FileInfo(recorder.FilePath).Length);
    }

    [Fact]
    public void APendingKeyIsReadableAtOnceAndADestroyedOneIsNotBroughtBackByItsFlush()
    {
        var store = new FileKeyStore(Path.Combine(_spool, "keys"));
        var keys = new RecordingKeyManager(store, MasterKey.Generate());

        DataKey key = keys.CreatePendingDataKey();
        Assert.Equal(key.Key, keys.GetDataKey(key.Id).Key);
        Assert.Contains(key.Id, store.KeyIds());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_spool, "keys"), "*.tmp"));
        keys.MakeDurable(key.Id);
        Assert.Equal(key.Key, keys.GetDataKey(key.Id).Key);

        DataKey shredded = keys.CreatePendingDataKey();
        Assert.True(store.Destroy(shredded.Id));
        keys.MakeDurable(shredded.Id);
        Assert.False(store.TryGet(shredded.Id, out _));
        Assert.Throws<InvalidOperationException>(() => store.AddPending(key.Id, WrappedKey.Parse(File.ReadAllText(Path.Combine(_spool, "keys", key.Id.ToString("D") + ".key")))));
    }

    private string[] Events()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    /// <summary>An in-memory key store that says what was asked of it, and how much of the recording's file was written when its key was made durable.</summary>
    private sealed class SpyKeyStore(List<string> events, Func<long> written) : IKeyStore
    {
        private readonly InMemoryKeyStore _inner = new();

        public bool FailDurable { get; init; }

        public void Add(Guid keyId, WrappedKey key)
        {
            Log($"durable add {keyId}");
            _inner.Add(keyId, key);
        }

        public void AddPending(Guid keyId, WrappedKey key)
        {
            Log($"pending {keyId}");
            _inner.AddPending(keyId, key);
        }

        public void MakeDurable(Guid keyId)
        {
            if (FailDurable)
            {
                throw new IOException("the key store's disk failed");
            }

            Log($"durable {keyId} with {written()} bytes in the file");
        }

        public bool Replace(Guid keyId, WrappedKey key) => _inner.Replace(keyId, key);

        public bool TryGet(Guid keyId, [NotNullWhen(true)] out WrappedKey? key) => _inner.TryGet(keyId, out key);

        public bool Destroy(Guid keyId) => _inner.Destroy(keyId);

        public IReadOnlyList<Guid> KeyIds() => _inner.KeyIds();

        private void Log(string what)
        {
            lock (events)
            {
                events.Add(what);
            }
        }
    }
}
