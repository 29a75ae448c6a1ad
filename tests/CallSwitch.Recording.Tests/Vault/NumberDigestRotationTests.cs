using System.Security.Cryptography;
using System.Text;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using Serilog.Core;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>The number digest (tombstones, number holds) survives a master-key rotation.</summary>
public sealed class NumberDigestRotationTests : IDisposable
{
    private const string Number = "+33612345678";

    private readonly string _folder = Directory.CreateTempSubdirectory("cs-digest-").FullName;

    private string Data => Path.Combine(_folder, "data");

    private string Spool => Path.Combine(_folder, "spool");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ADigestIsTheSameBeforeAndAfterTheMasterKeyIsRotatedAndItsDataKeysRewrapped()
    {
        string oldHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(MasterKey.KeyLength));
        string newHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(MasterKey.KeyLength));
        Directory.CreateDirectory(Data);
        File.WriteAllText(Path.Combine(Data, RecordingVault.MasterKeyFileName), oldHex + "\n");
        string before;
        Guid recordingKey;
        using (RecordingVault vault = RecordingVault.OpenExisting(Data, Spool, Logger.None))
        {
            before = vault.Digest(Number);
            using DataKey key = vault.Keys.CreateDataKey();
            recordingKey = key.Id;
        }

        // The rotation: every wrapped key rewrapped under the new master, which then replaces the old one.
        using (MasterKey oldMaster = MasterKey.Parse(oldHex))
        using (MasterKey newMaster = MasterKey.Parse(newHex))
        {
            var rotating = new RecordingKeyManager(new FileKeyStore(Path.Combine(Data, RecordingVault.KeyDirectoryName)), newMaster, oldMaster);
            Assert.Equal(2, rotating.Rotate(newMaster)); // the recording's data key and the number-digest key
        }

        File.WriteAllText(Path.Combine(Data, RecordingVault.MasterKeyFileName), newHex + "\n");

        using RecordingVault rotated = RecordingVault.OpenExisting(Data, Spool, Logger.None);
        Assert.Equal(before, rotated.Digest(Number));
        Assert.NotEqual(before, rotated.Digest("+33612345679"));
        using (DataKey key = rotated.Keys.GetDataKey(recordingKey))
        {
            Assert.Equal(recordingKey, key.Id);
        }

        // What it used to be: a key derived from the master in use, which the rotation changed.
        using MasterKey current = MasterKey.Parse(newHex);
        Assert.NotEqual(before, Hmac(current.DeriveKey("callswitch/number-digest/v1"), Number));
    }

    [Fact]
    public void DigestsMadeBeforeTheKeyWasStoredStillMatchAndTheKeyIsStoredWrappedNotInClear()
    {
        using MasterKey master = MasterKey.Generate();
        var store = new InMemoryKeyStore();
        using var vault = new RecordingVault(Spool, new RecordingKeyManager(store, master));

        // Before the key was stored, a digest was HMAC-SHA-256 under HKDF(master, purpose): the first stored key has that value.
        Assert.Equal(Hmac(master.DeriveKey("callswitch/number-digest/v1"), Number), vault.Digest(Number));
        Assert.True(store.TryGet(RecordingVault.NumberDigestKeyId, out WrappedKey? wrapped));
        Assert.Equal(master.Id, wrapped.MasterKeyId);

        // Another process opening the same store reads the stored key.
        using var other = new RecordingVault(Spool, new RecordingKeyManager(store, master));
        Assert.Equal(vault.Digest(Number), other.Digest(Number));
    }

    private static string Hmac(byte[] key, string number) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(number)));
}
