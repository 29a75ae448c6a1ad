using System.Security.Cryptography;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;
using Serilog.Core;

namespace CallSwitch.Retention.Tests;

/// <summary>
/// A switch's configuration, store and vault in a folder of their own, with recordings written as
/// the switch writes them (an encrypted file in the spool, its wrapped key, its row).
/// </summary>
internal sealed class RetentionStoreFixture : IDisposable
{
    public static readonly DateTimeOffset Started = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public RetentionStoreFixture(string? yaml = null)
    {
        ConfigPath = ConfigFixture.WriteConfig(yaml ?? Yaml());
        Folder = Path.GetDirectoryName(ConfigPath)!;
        Directory.CreateDirectory(Data);
        File.WriteAllText(Path.Combine(Data, RecordingVault.MasterKeyFileName), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(MasterKey.KeyLength)) + "\n");
        Vault = RecordingVault.Open(Data, Spool, Logger.None);
    }

    public string ConfigPath { get; }

    public string Folder { get; }

    public string Data => Path.Combine(Folder, "data");

    public string Spool => Path.Combine(Folder, "spool");

    public RecordingVault Vault { get; }

    /// <summary>The embedded configuration with its paths in the fixture's folder, and edits.</summary>
    public static string Yaml(params (string Find, string Replace)[] edits)
    {
        string yaml = ConfigFixture.LocalYaml;
        foreach ((string find, string replace) in edits)
        {
            Assert.Contains(find, yaml, StringComparison.Ordinal);
            yaml = yaml.Replace(find, replace, StringComparison.Ordinal);
        }

        return yaml;
    }

    public SqliteMetadataStore OpenStore() => SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data });

    /// <summary>Records one call of <paramref name="campaign"/> as the switch would, with the deadline its rule gave then.</summary>
    public async Task<Seeded> RecordAsync(SqliteMetadataStore store, string campaign, int retentionDays, string number, DateTimeOffset? started = null)
    {
        DateTimeOffset start = started ?? Started;
        Guid id = Guid.CreateVersion7();
        string path = Vault.PathFor(start, id.ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Guid keyId;
        using (DataKey key = Vault.Keys.CreateDataKey())
        await using (FileStream file = File.Create(path))
        await using (var writer = new EncryptedRecordingWriter(file, key.Key, key.Id))
        {
            keyId = key.Id;
            writer.Write([.. "OggS"u8, .. RandomNumberGenerator.GetBytes(4096)]);
            writer.Complete();
        }

        string callId = "call-" + id.ToString("N");
        await store.SaveCallAsync(new CallRecord
        {
            CallId = callId,
            Direction = CallDirection.Outbound,
            AgentId = "1001",
            CampaignId = campaign,
            ProspectNumber = number,
            StartedAt = start,
            Recorded = true,
        });
        await store.AddRecordingAsync(new NewRecording
        {
            Id = id,
            CallId = callId,
            CampaignId = campaign,
            AgentId = "1001",
            ProspectNumber = number,
            StartedAt = start,
            RuleId = campaign + ":always",
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionUntil = start.AddDays(retentionDays),
            KeyId = keyId,
            FilePath = path,
        });
        string sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        Assert.True(await store.CompleteRecordingAsync(id, new RecordingCompletion
        {
            EndedAt = start.AddSeconds(30),
            Duration = TimeSpan.FromSeconds(30),
            Status = RecordingStatus.Complete,
            FileSize = new FileInfo(path).Length,
            CiphertextSha256 = sha,
        }));
        return new Seeded(id, keyId, path, sha);
    }

    public bool HasKey(Guid keyId)
    {
        try
        {
            using DataKey key = Vault.Keys.GetDataKey(keyId);
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Vault.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A recording as seeded.</summary>
    public sealed record Seeded(Guid Id, Guid KeyId, string FilePath, string CiphertextSha256);
}
