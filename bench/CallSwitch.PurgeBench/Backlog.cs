using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using Serilog.Core;

namespace CallSwitch.PurgeBench;

/// <summary>
/// Writes a backlog of expired recordings as the switch leaves them: for each, a call row, an
/// encrypted file in the spool (AES-GCM chunks under a fresh data key), the data key wrapped by
/// the master key in <c>data/keys</c>, the recording row completed with the file's size and
/// SHA-256. Everything goes through the product's vault and store; only the audio is random bytes
/// (the sidecar never reads it). Recordings are spread over 23 days that ended a week ago, so their
/// spool folders are those of real days.
/// </summary>
internal static class Backlog
{
    /// <summary>The backlog's campaign (absent from the configuration: the stored deadline applies).</summary>
    public const string Campaign = "backlog";

    private const int Workers = 8;

    public static async Task<int> GenerateAsync(string dir, int count, int size, TextWriter output, CancellationToken cancel)
    {
        string data = Path.Combine(dir, "data");
        string spool = Path.Combine(dir, "spool");
        if (File.Exists(Path.Combine(data, SqliteMetadataStoreOptions.DefaultFileName)))
        {
            throw new InvalidOperationException($"{dir} already holds a store: generate into a new folder");
        }

        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(dir, "callswitch.yaml"), ConfigYaml(), cancel).ConfigureAwait(false);
        using RecordingVault vault = RecordingVault.Open(data, spool, Logger.None);
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data });

        DateTimeOffset first = DateTimeOffset.UtcNow.AddDays(-60);
        TimeSpan spacing = TimeSpan.FromDays(23) / count;
        var clock = Stopwatch.StartNew();
        int next = -1, done = 0;
        byte[] audio = RandomNumberGenerator.GetBytes(size);
        async Task WorkAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                cancel.ThrowIfCancellationRequested();
                await AddAsync(vault, store, i, first + (spacing * i), audio).ConfigureAwait(false);
                int n = Interlocked.Increment(ref done);
                if (n % 10_000 == 0)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n:N0} recordings, {clock.Elapsed.TotalSeconds:F0} s"));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync, cancel))).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backlog: {count:N0} expired recordings of {size:N0} B in {dir} ({clock.Elapsed.TotalSeconds:F0} s); master key {vault.Keys.CurrentMasterKeyId}"));
        return 0;
    }

    private static async Task AddAsync(RecordingVault vault, SqliteMetadataStore store, int index, DateTimeOffset start, byte[] audio)
    {
        var id = Guid.CreateVersion7(start);
        string path = vault.PathFor(start, id.ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Guid keyId;
        string sha;
        long length;
        using (DataKey key = vault.Keys.CreateDataKey())
        {
            keyId = key.Id;
            await using (FileStream file = File.Create(path))
            await using (var writer = new EncryptedRecordingWriter(file, key.Key, key.Id))
            {
                writer.Write(audio);
                writer.Complete();
            }
        }

        await using (FileStream written = File.OpenRead(path))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(written).ConfigureAwait(false));
            length = written.Length;
        }

        string number = string.Create(CultureInfo.InvariantCulture, $"+336{10_000_000 + index:D8}");
        string callId = "backlog-" + id.ToString("N");
        await store.SaveCallAsync(new CallRecord
        {
            CallId = callId,
            Direction = CallDirection.Outbound,
            AgentId = "1001",
            CampaignId = Campaign,
            ProspectNumber = number,
            StartedAt = start,
            AnsweredAt = start,
            EndedAt = start.AddSeconds(30),
            EndReason = "bye",
            Recorded = true,
        }).ConfigureAwait(false);
        await store.AddRecordingAsync(new NewRecording
        {
            Id = id,
            CallId = callId,
            CampaignId = Campaign,
            AgentId = "1001",
            ProspectNumber = number,
            StartedAt = start,
            RuleId = Campaign + ":always",
            Purposes = ["quality"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionUntil = start.AddDays(30),
            KeyId = keyId,
            FilePath = path,
        }).ConfigureAwait(false);
        await store.CompleteRecordingAsync(id, new RecordingCompletion
        {
            EndedAt = start.AddSeconds(30),
            Duration = TimeSpan.FromSeconds(30),
            Status = RecordingStatus.Complete,
            FileSize = length,
            CiphertextSha256 = sha,
        }).ConfigureAwait(false);
    }

    /// <summary>The shipped configuration with its store and spool in the backlog's folder and its announcements in the repository's.</summary>
    private static string ConfigYaml()
    {
        string announcements = Path.Combine(RepositoryRoot(), "config", "announcements") + Path.DirectorySeparatorChar;
        return EmbeddedConfig.Text()
            .Replace("spool: ../var/spool", "spool: ./spool", StringComparison.Ordinal)
            .Replace("data: ../var/data", "data: ./data", StringComparison.Ordinal)
            .Replace("announcements/", announcements, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CallSwitch.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("run from the repository (its config/announcements are used)");
    }
}
