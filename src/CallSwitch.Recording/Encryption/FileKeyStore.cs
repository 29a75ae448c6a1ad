using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// A key store in a directory: one small text file per key id (<c>{id}.key</c>), written to a
/// temporary name and renamed into place so a crash never leaves half a key. A key stored
/// pending (a recording's, at its call's set-up) is written and renamed without waiting for the
/// disk; its fsync, and the directory's, come later (<see cref="MakeDurable"/>, on the spool
/// writer's thread before the recording's first byte). Destroying
/// overwrites the file before deleting it (best effort: on flash storage only the loss of the
/// master-wrapped copy everywhere, backups included, makes shredding final).
/// </summary>
/// <remarks>
/// Thread-safe. Writers of one id are serialised (a rotation's rewrap never brings back a key being
/// destroyed); different ids mostly take different locks, so destroying many keys at once overlaps
/// their fsyncs. One process owns the directory.
/// </remarks>
public sealed class FileKeyStore : IKeyStore
{
    private const int LockStripes = 64;

    private readonly string _directory;
    private readonly Lock[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new Lock())];

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public FileKeyStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <inheritdoc />
    public void Add(Guid keyId, WrappedKey key) => AddNew(keyId, key, flushToDisk: true);

    /// <inheritdoc />
    public void AddPending(Guid keyId, WrappedKey key) => AddNew(keyId, key, flushToDisk: false);

    /// <inheritdoc />
    public void MakeDurable(Guid keyId)
    {
        lock (LockFor(keyId))
        {
            string path = PathOf(keyId);
            if (!File.Exists(path))
            {
                return;
            }

            using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Flush(flushToDisk: true);
            }

            // The rename that put it in place.
            Vault.DirectorySync.Flush(_directory);
        }
    }

    /// <inheritdoc />
    public bool Replace(Guid keyId, WrappedKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (LockFor(keyId))
        {
            if (!File.Exists(PathOf(keyId)))
            {
                return false;
            }

            WriteAtomically(keyId, key);
            return true;
        }
    }

    /// <inheritdoc />
    public bool TryGet(Guid keyId, [NotNullWhen(true)] out WrappedKey? key)
    {
        string path = PathOf(keyId);
        key = File.Exists(path) ? WrappedKey.Parse(File.ReadAllText(path)) : null;
        return key is not null;
    }

    /// <inheritdoc />
    public bool Destroy(Guid keyId)
    {
        string path = PathOf(keyId);
        lock (LockFor(keyId))
        {
            if (!File.Exists(path))
            {
                return false;
            }

            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.Write(new byte[stream.Length]);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(path);
            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Guid> KeyIds() =>
        [.. Directory.EnumerateFiles(_directory, "*.key")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => Guid.TryParse(name, out Guid id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)];

    private Lock LockFor(Guid keyId) => _locks[(keyId.GetHashCode() & int.MaxValue) % LockStripes];

    private string PathOf(Guid keyId) => Path.Combine(_directory, keyId.ToString("D") + ".key");

    private void AddNew(Guid keyId, WrappedKey key, bool flushToDisk)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (LockFor(keyId))
        {
            if (File.Exists(PathOf(keyId)))
            {
                throw new InvalidOperationException($"Key {keyId} already exists.");
            }

            WriteAtomically(keyId, key, flushToDisk);
        }
    }

    private void WriteAtomically(Guid keyId, WrappedKey key, bool flushToDisk = true)
    {
        string temporary = PathOf(keyId) + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(key.ToString()));
            stream.Flush(flushToDisk);
        }

        File.Move(temporary, PathOf(keyId), overwrite: true);
    }
}
