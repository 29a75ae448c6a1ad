using System.Security.Cryptography;
using System.Text;
using CallSwitch.Compliance.Erasure;

namespace CallSwitch.Compliance.Tests.Erasure;

/// <summary>A vault for the eraser's tests: keys in a set, files on the real disk, a fixed digest key.</summary>
internal sealed class FakeVault : IRecordingShredder, INumberDigester
{
    private static readonly byte[] DigestKey = Encoding.ASCII.GetBytes("fake-number-digest-key-32-bytes!");
    private readonly HashSet<Guid> _keys = [];

    public bool HasKey(Guid keyId)
    {
        lock (_keys)
        {
            return _keys.Contains(keyId);
        }
    }

    public void AddKey(Guid keyId)
    {
        lock (_keys)
        {
            _keys.Add(keyId);
        }
    }

    public bool DestroyKey(Guid keyId)
    {
        lock (_keys)
        {
            return _keys.Remove(keyId);
        }
    }

    public bool DeleteFile(string filePath)
    {
        bool existed = File.Exists(filePath);
        if (existed)
        {
            File.Delete(filePath);
        }

        return existed;
    }

    public string Digest(string e164Number) => Convert.ToHexStringLower(HMACSHA256.HashData(DigestKey, Encoding.UTF8.GetBytes(e164Number)));
}
