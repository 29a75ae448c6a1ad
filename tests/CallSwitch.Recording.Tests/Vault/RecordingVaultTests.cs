using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using Serilog.Core;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>The vault's layout: where its keys and files live, and how the switch and the tools open it.</summary>
public sealed class RecordingVaultTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-vault-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Data => Path.Combine(_folder, "data");

    private string Spool => Path.Combine(_folder, "spool");

    [Fact]
    public void TheSwitchOpensItWithAKeyCreatedOnceAndToolsOpenTheSameVault()
    {
        Assert.False(RecordingVault.HasMasterKey(Data, out string where));
        Assert.Contains(Path.Combine(Data, "master.key"), where, StringComparison.Ordinal);

        string masterKeyId;
        using (RecordingVault opened = RecordingVault.Open(Data, Spool, Logger.None))
        {
            masterKeyId = opened.Keys.CurrentMasterKeyId;
            Assert.True(File.Exists(Path.Combine(Data, "master.key")));
            Assert.True(Directory.Exists(Path.Combine(Data, "keys")));
            Assert.True(Directory.Exists(Spool));
        }

        Assert.True(RecordingVault.HasMasterKey(Data, out _));
        using RecordingVault again = RecordingVault.Open(Data, Spool, Logger.None);
        using RecordingVault tool = RecordingVault.OpenExisting(Data, Spool, Logger.None);
        Assert.Equal(masterKeyId, again.Keys.CurrentMasterKeyId);
        Assert.Equal(masterKeyId, tool.Keys.CurrentMasterKeyId);
    }

    [Fact]
    public void AToolNeverCreatesAKey()
    {
        Assert.Throws<FileNotFoundException>(() => RecordingVault.OpenExisting(Data, Spool, Logger.None));
        Assert.False(File.Exists(Path.Combine(Data, "master.key")));
        Assert.False(Directory.Exists(Spool));
    }

    [Fact]
    public void RecordingsAreFiledByTheirUtcStartDateAndId()
    {
        using var vault = new RecordingVault(Spool, new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate()));
        var late = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.FromHours(-2));

        Assert.Equal(Path.Combine(Spool, "2026", "03", "02", "0123abcd.ogg.enc"), vault.PathFor(late, "0123abcd"));
    }

    [Fact]
    public void ARecordingWrittenWithItsKeysReadsBackDecryptedUntilItIsShredded()
    {
        using RecordingVault vault = RecordingVault.Open(Data, Spool, Logger.None);
        string path = vault.PathFor(DateTimeOffset.UtcNow, Guid.CreateVersion7().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] plain = RandomNumberGenerator.GetBytes(5000);
        Guid keyId;
        using (DataKey key = vault.Keys.CreateDataKey())
        using (var writer = new EncryptedRecordingWriter(File.Create(path), key.Key, key.Id, 1024))
        {
            keyId = key.Id;
            writer.Write(plain);
            writer.Complete();
        }

        using (RecordingVault tool = RecordingVault.OpenExisting(Data, Spool, Logger.None))
        using (EncryptedRecordingReader reader = tool.OpenRecording(path))
        using (var read = new MemoryStream())
        {
            reader.CopyTo(read);
            Assert.Equal(plain, read.ToArray());
        }

        Assert.True(vault.Shred(keyId, path));
        Assert.False(File.Exists(path));
        Assert.False(vault.Shred(keyId, path));
        Assert.Throws<KeyNotFoundException>(() => vault.Keys.GetDataKey(keyId));
    }
}
