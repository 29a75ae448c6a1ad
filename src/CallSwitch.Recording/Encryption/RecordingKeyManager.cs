using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// Envelope encryption for recordings: creates one random AES-256 data key per recording,
/// keeps it wrapped by the master key in an <see cref="IKeyStore"/>, unwraps it for playback,
/// rotates the master key by rewrapping every data key (audio files untouched), and
/// crypto-shreds a recording by destroying its wrapped key and deleting its file.
/// </summary>
/// <remarks>Thread-safe when the key store is. Returned <see cref="DataKey"/>s belong to the caller.</remarks>
public sealed class RecordingKeyManager
{
    private readonly IKeyStore _store;
    private readonly ConcurrentDictionary<string, MasterKey> _masters;
    private MasterKey _current;

    /// <summary>Wraps new keys with <paramref name="current"/>; unwraps with it or any of <paramref name="previous"/> (during a rotation).</summary>
    public RecordingKeyManager(IKeyStore store, MasterKey current, params MasterKey[] previous)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(current);
        _store = store;
        _current = current;
        _masters = new(previous.Append(current).Select(m => KeyValuePair.Create(m.Id, m)));
    }

    /// <summary>Fingerprint of the master key new keys are wrapped with.</summary>
    public string CurrentMasterKeyId => Volatile.Read(ref _current).Id;

    /// <summary>
    /// Creates, wraps and stores a fresh data key for one recording without waiting for the disk
    /// (the call's set-up does not block on an fsync): <see cref="MakeDurable"/> must follow
    /// before anything encrypted with it is written.
    /// </summary>
    public DataKey CreatePendingDataKey() => CreateDataKey(_store.AddPending);

    /// <summary>Makes a key made by <see cref="CreatePendingDataKey"/> durable (nothing when it was shredded meanwhile).</summary>
    /// <exception cref="IOException">The key store could not flush it.</exception>
    public void MakeDurable(Guid keyId) => _store.MakeDurable(keyId);

    /// <summary>Creates, wraps and stores a fresh data key for one recording.</summary>
    public DataKey CreateDataKey() => CreateDataKey(_store.Add);

    /// <summary>Unwraps the data key <paramref name="keyId"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such key: never created, or shredded.</exception>
    /// <exception cref="RecordingIntegrityException">The wrapped key fails authentication.</exception>
    public DataKey GetDataKey(Guid keyId)
    {
        if (!_store.TryGet(keyId, out WrappedKey? wrapped))
        {
            throw new KeyNotFoundException($"Data key {keyId} does not exist (never created or shredded).");
        }

        if (!_masters.TryGetValue(wrapped.MasterKeyId, out MasterKey? master))
        {
            throw new RecordingIntegrityException($"Data key {keyId} is wrapped by unknown master key {wrapped.MasterKeyId}.");
        }

        return new DataKey(keyId, master.Unwrap(keyId, wrapped));
    }

    /// <summary>
    /// Makes <paramref name="newMaster"/> current and rewraps every stored data key with it.
    /// Keys wrapped by masters this manager knows are rewrapped; the recordings are not read.
    /// </summary>
    /// <returns>The number of keys rewrapped.</returns>
    public int Rotate(MasterKey newMaster)
    {
        ArgumentNullException.ThrowIfNull(newMaster);
        _masters[newMaster.Id] = newMaster;
        Volatile.Write(ref _current, newMaster);
        int rewrapped = 0;
        foreach (Guid id in _store.KeyIds())
        {
            if (!_store.TryGet(id, out WrappedKey? wrapped) || wrapped.MasterKeyId == newMaster.Id)
            {
                continue;
            }

            using DataKey key = GetDataKey(id);
            if (_store.Replace(id, newMaster.Wrap(id, key.Key)))
            {
                rewrapped++;
            }
        }

        return rewrapped;
    }

    /// <summary>A key derived from the current master key for another use (<see cref="MasterKey.DeriveKey"/>); the caller clears it.</summary>
    public byte[] DeriveKey(string purpose) => Volatile.Read(ref _current).DeriveKey(purpose);

    /// <summary>
    /// A long-lived key for another use (the number digest), kept in the key store under the fixed
    /// id <paramref name="keyId"/> and wrapped by the master key like a data key, so that
    /// <see cref="Rotate"/> rewraps it and its value survives a master-key rotation. Created on first
    /// use with the value <see cref="DeriveKey"/> gives for <paramref name="seedPurpose"/> under the
    /// current master key: the value digests had before the key was stored, so they still match, and
    /// two processes creating it at once store the same value. The caller clears the result.
    /// </summary>
    /// <exception cref="RecordingIntegrityException">The stored key fails authentication or is wrapped by an unknown master key.</exception>
    public byte[] GetOrCreateStoredKey(Guid keyId, string seedPurpose)
    {
        if (!_store.TryGet(keyId, out _))
        {
            byte[] seed = DeriveKey(seedPurpose);
            try
            {
                _store.Add(keyId, Volatile.Read(ref _current).Wrap(keyId, seed));
            }
            catch (InvalidOperationException)
            {
                // Created meanwhile by another thread: that one is read below.
            }
            finally
            {
                CryptographicOperations.ZeroMemory(seed);
            }
        }

        using DataKey key = GetDataKey(keyId);
        return key.Key.ToArray();
    }

    /// <summary>
    /// Crypto-shreds a recording: destroys its wrapped data key, then deletes its file if a
    /// path is given. Returns false when the key was already gone.
    /// </summary>
    public bool Shred(Guid keyId, string? filePath = null)
    {
        bool destroyed = _store.Destroy(keyId);
        if (filePath is not null && File.Exists(filePath))
        {
            File.Delete(filePath);
        }

        return destroyed;
    }

    private DataKey CreateDataKey(Action<Guid, WrappedKey> store)
    {
        var id = Guid.NewGuid();
        byte[] key = RandomNumberGenerator.GetBytes(MasterKey.KeyLength);
        store(id, Volatile.Read(ref _current).Wrap(id, key));
        return new DataKey(id, key);
    }
}
