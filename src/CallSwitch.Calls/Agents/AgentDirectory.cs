namespace CallSwitch.Calls.Agents;

/// <summary>The agents known to the switch, by extension (the digest username). Immutable: a reload swaps the whole directory.</summary>
public sealed class AgentDirectory
{
    private readonly Dictionary<string, AgentAccount> _byExtension;

    /// <summary>Creates a directory; extensions must be unique.</summary>
    public AgentDirectory(IEnumerable<AgentAccount> accounts)
    {
        _byExtension = new Dictionary<string, AgentAccount>(StringComparer.Ordinal);
        foreach (AgentAccount account in accounts)
        {
            if (!_byExtension.TryAdd(account.Extension, account))
            {
                throw new ArgumentException($"Duplicate agent extension '{account.Extension}'.", nameof(accounts));
            }
        }
    }

    /// <summary>Every account.</summary>
    public IReadOnlyCollection<AgentAccount> All => _byExtension.Values;

    /// <summary>Finds an account by extension.</summary>
    public AgentAccount? Find(string extension) => _byExtension.GetValueOrDefault(extension);
}
