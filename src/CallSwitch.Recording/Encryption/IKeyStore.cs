namespace CallSwitch.Recording.Encryption;

/// <summary>
/// Where wrapped data keys live, by key id. Destroying an entry is crypto-shredding: without
/// the wrapped key the recording can never be decrypted, whatever copies of the file remain.
/// </summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IKeyStore
{
    /// <summary>Stores a new wrapped key, durably; throws if the id exists.</summary>
    void Add(Guid keyId, WrappedKey key);

    /// <summary>
    /// Stores a new wrapped key without waiting for the disk (a process crash keeps it, a power
    /// loss may not): <see cref="MakeDurable"/> must follow before anything encrypted with it is
    /// written. Throws if the id exists.
    /// </summary>
    void AddPending(Guid keyId, WrappedKey key);

    /// <summary>Makes a key stored by <see cref="AddPending"/> durable; nothing when it is gone (destroyed meanwhile).</summary>
    void MakeDurable(Guid keyId);

    /// <summary>Replaces an existing wrapped key (master-key rotation); false if the id is unknown.</summary>
    bool Replace(Guid keyId, WrappedKey key);

    /// <summary>Looks a wrapped key up.</summary>
    bool TryGet(Guid keyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WrappedKey? key);

    /// <summary>Destroys a wrapped key; false if it did not exist.</summary>
    bool Destroy(Guid keyId);

    /// <summary>A snapshot of the ids stored.</summary>
    IReadOnlyList<Guid> KeyIds();
}
