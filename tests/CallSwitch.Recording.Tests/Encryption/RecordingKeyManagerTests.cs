using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;

namespace CallSwitch.Recording.Tests.Encryption;

public sealed class RecordingKeyManagerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cs-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EachRecordingGetsItsOwnKeyAndItUnwraps()
    {
        var manager = new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate());
        using DataKey first = manager.CreateDataKey();
        using DataKey second = manager.CreateDataKey();
        Assert.NotEqual(first.Id, second.Id);
        Assert.False(first.Key.SequenceEqual(second.Key));
        using DataKey again = manager.GetDataKey(first.Id);
        Assert.True(again.Key.SequenceEqual(first.Key));
    }

    [Fact]
    public void RotationRewrapsEveryKeyAndLeavesFilesAlone()
    {
        var store = new FileKeyStore(Path.Combine(_directory, "keys"));
        using var oldMaster = MasterKey.Generate();
        var manager = new RecordingKeyManager(store, oldMaster);
        string path = Path.Combine(_directory, "rec.enc");
        byte[] plain = RandomNumberGenerator.GetBytes(3000);
        Guid keyId;
        using (DataKey key = manager.CreateDataKey())
        {
            keyId = key.Id;
            using var writer = new EncryptedRecordingWriter(File.Create(path), key.Key, key.Id, 1024);
            writer.Write(plain);
        }

        using (manager.CreateDataKey())
        {
        }

        byte[] fileBefore = File.ReadAllBytes(path);
        store.TryGet(keyId, out WrappedKey? before);

        using var newMaster = MasterKey.Generate();
        Assert.Equal(2, manager.Rotate(newMaster));
        Assert.Equal(newMaster.Id, manager.CurrentMasterKeyId);

        // The wrapped keys changed master; the audio file did not change by one byte.
        store.TryGet(keyId, out WrappedKey? after);
        Assert.Equal(oldMaster.Id, before!.MasterKeyId);
        Assert.Equal(newMaster.Id, after!.MasterKeyId);
        Assert.Equal(fileBefore, File.ReadAllBytes(path));

        // A fresh manager that only knows the new master (the old one retired) still decrypts.
        var retired = new RecordingKeyManager(new FileKeyStore(Path.Combine(_directory, "keys")), newMaster);
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), id => retired.GetDataKey(id).Key.ToArray());
        using var decrypted = new MemoryStream();
        reader.CopyTo(decrypted);
        Assert.Equal(plain, decrypted.ToArray());

        // And the old master alone no longer can.
        var stale = new RecordingKeyManager(store, MasterKey.Parse(Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));
        Assert.Throws<RecordingIntegrityException>(() => stale.GetDataKey(keyId));
    }

    [Fact]
    public void ShreddingDestroysTheKeyAndTheFile()
    {
        var store = new FileKeyStore(Path.Combine(_directory, "keys"));
        var manager = new RecordingKeyManager(store, MasterKey.Generate());
        string path = Path.Combine(_directory, "rec.enc");
        using DataKey key = manager.CreateDataKey();
        File.WriteAllBytes(path, EncryptedRecordingTests.Encrypt([1, 2, 3]));

        Assert.True(manager.Shred(key.Id, path));
        Assert.False(File.Exists(path));
        Assert.Empty(store.KeyIds());
        Assert.Throws<KeyNotFoundException>(() => manager.GetDataKey(key.Id));
        Assert.False(manager.Shred(key.Id));
    }

    [Fact]
    public void AWrappedKeyMovedToAnotherIdIsRefused()
    {
        var store = new InMemoryKeyStore();
        var manager = new RecordingKeyManager(store, MasterKey.Generate());
        using DataKey a = manager.CreateDataKey();
        using DataKey b = manager.CreateDataKey();
        store.TryGet(a.Id, out WrappedKey? wrappedA);
        store.Replace(b.Id, wrappedA!);
        Assert.Throws<RecordingIntegrityException>(() => manager.GetDataKey(b.Id));
    }

    [Fact]
    public void MasterKeysLoadFromHexBase64FileAndEnvironment()
    {
        byte[] raw = RandomNumberGenerator.GetBytes(32);
        using var fromHex = MasterKey.Parse(Convert.ToHexString(raw));
        using var fromBase64 = MasterKey.Parse(" " + Convert.ToBase64String(raw) + "\n");
        Assert.Equal(fromHex.Id, fromBase64.Id);
        Assert.Equal(16, fromHex.Id.Length);

        string file = Path.Combine(_directory, "master.key");
        File.WriteAllText(file, Convert.ToBase64String(raw));
        using var fromFile = MasterKey.FromFile(file);
        Assert.Equal(fromHex.Id, fromFile.Id);

        string variable = "CALLSWITCH_TEST_MASTER_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Convert.ToHexString(raw));
        try
        {
            using var fromEnvironment = MasterKey.FromEnvironment(variable);
            Assert.Equal(fromHex.Id, fromEnvironment.Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.Throws<FormatException>(() => MasterKey.Parse(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
        Assert.Throws<FormatException>(() => MasterKey.Parse("not a key"));
        Assert.Throws<InvalidOperationException>(() => MasterKey.FromEnvironment(variable));
    }

    [Fact]
    public void FileKeyStorePersistsAcrossInstances()
    {
        string keys = Path.Combine(_directory, "keys");
        using var master = MasterKey.Generate();
        Guid id;
        byte[] original;
        using (DataKey key = new RecordingKeyManager(new FileKeyStore(keys), master).CreateDataKey())
        {
            id = key.Id;
            original = key.Key.ToArray();
        }

        using DataKey reloaded = new RecordingKeyManager(new FileKeyStore(keys), master).GetDataKey(id);
        Assert.Equal(original, reloaded.Key.ToArray());
        Assert.Equal([id], new FileKeyStore(keys).KeyIds());
        Assert.DoesNotContain(Convert.ToHexStringLower(original), File.ReadAllText(Path.Combine(keys, id + ".key")), StringComparison.Ordinal);
    }
}
