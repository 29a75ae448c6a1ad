using System.Diagnostics.CodeAnalysis;
using CallSwitch.Calls.Agents;
using CallSwitch.Sip.Auth;

namespace CallSwitch.Calls.Auth;

/// <summary>Serves the agents' stored HA1 values to the digest server. A reload swaps the directory atomically.</summary>
public sealed class AgentCredentialStore : IDigestCredentialStore
{
    private AgentDirectory _directory;

    /// <summary>Creates the store over a directory.</summary>
    public AgentCredentialStore(AgentDirectory directory) => _directory = directory;

    /// <summary>The directory in force.</summary>
    public AgentDirectory Directory
    {
        get => Volatile.Read(ref _directory);
        set => Volatile.Write(ref _directory, value);
    }

    /// <inheritdoc />
    public bool TryGetHa1(string username, string realm, DigestAlgorithm algorithm, [NotNullWhen(true)] out string? ha1)
    {
        AgentAccount? account = Directory.Find(username);
        ha1 = account is null ? null : DigestAlgorithms.GetBase(algorithm) switch
        {
            DigestAlgorithm.Md5 => account.Ha1Md5,
            DigestAlgorithm.Sha256 => account.Ha1Sha256,
            _ => null,
        };
        return ha1 is not null;
    }
}
