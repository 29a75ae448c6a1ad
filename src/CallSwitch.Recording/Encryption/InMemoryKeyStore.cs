using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Recording.Encryption;

/// <summary>A key store in memory, for tests and single-run tools. Thread-safe.</summary>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly ConcurrentDictionary<Guid, WrappedKey> _keys = new();

    /// <inheritdoc />
    public void Add(Guid keyId, WrappedKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_keys.TryAdd(keyId, key))
        {
            throw new InvalidOperationException($"Key {keyId} already exists.");
        }
    }

    /// <inheritdoc />
    public void AddPending(Guid keyId, WrappedKey key) => Add(keyId, key);

    /// <inheritdoc />
    public void MakeDurable(Guid keyId)
    {
        // Memory is as durable as it gets.
    }

    /// <inheritdoc />
    public bool Replace(Guid keyId, WrappedKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _keys.TryGetValue(keyId, out WrappedKey? old) && _keys.TryUpdate(keyId, key, old);
    }

    /// <inheritdoc />
    public bool TryGet(Guid keyId, [NotNullWhen(true)] out WrappedKey? key) => _keys.TryGetValue(keyId, out key);

    /// <inheritdoc />
    public bool Destroy(Guid keyId) => _keys.TryRemove(keyId, out _);

    /// <inheritdoc />
    public IReadOnlyList<Guid> KeyIds() => [.. _keys.Keys];
}
