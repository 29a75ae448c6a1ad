using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>The vault as the eraser's shredder and number digester.</summary>
public sealed class VaultShredderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-shred-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void DestroyingAKeyMakesItUnreadableAndIsIdempotent()
    {
        var keys = new RecordingKeyManager(new FileKeyStore(Path.Combine(_folder, "keys")), MasterKey.Generate());
        using var vault = new RecordingVault(Path.Combine(_folder, "spool"), keys);
        Guid keyId;
        using (DataKey key = keys.CreateDataKey())
        {
            keyId = key.Id;
        }

        Assert.True(vault.DestroyKey(keyId));
        Assert.Throws<KeyNotFoundException>(() => keys.GetDataKey(keyId));
        Assert.False(vault.DestroyKey(keyId));
    }

    [Fact]
    public void DeletingAFileFlushesItsFolderAndIsIdempotent()
    {
        using var vault = new RecordingVault(Path.Combine(_folder, "spool"), new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate()));
        string file = vault.PathFor(DateTimeOffset.UtcNow, "r1");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, [1, 2, 3]);

        Assert.True(vault.DeleteFile(file));
        Assert.False(File.Exists(file));
        Assert.False(vault.DeleteFile(file));
    }

    [Fact]
    public void ANumberDigestIsKeyedByTheMasterKeyAndStable()
    {
        using var master = MasterKey.Generate();
        using var first = new RecordingVault(_folder, new RecordingKeyManager(new InMemoryKeyStore(), master));
        using var same = new RecordingVault(_folder, new RecordingKeyManager(new InMemoryKeyStore(), master));
        using var other = new RecordingVault(_folder, new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate()));

        string digest = first.Digest("+33612345678");
        Assert.Equal(64, digest.Length);
        Assert.Equal(digest, same.Digest("+33612345678"));
        Assert.NotEqual(digest, first.Digest("+33612345679"));
        Assert.NotEqual(digest, other.Digest("+33612345678"));
    }
}
