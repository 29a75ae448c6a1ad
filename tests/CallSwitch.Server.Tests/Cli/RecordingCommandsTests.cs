using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.TestSupport;
using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Cli;
using CallSwitch.Server.Configuration;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch recordings list|search|export</c>, run in-process on a store written through its API.</summary>
public class RecordingCommandsTests
{
    private const string Number = "+33612345678";

    [Fact]
    public async Task ListsSearchesByANationalNumberAndExportsAPlainOggFileAudited()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            var (id, ogg) = await WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));

            var (code, output, error) = await RunAsync("recordings", "list", "--config", config);
            Assert.True(code == 0, error);
            string line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith(id.ToString("N"), StringComparison.Ordinal));
            Assert.Contains("  spring  1001  " + Number + "  complete", line, StringComparison.Ordinal);
            Assert.Contains("00:00:42", line, StringComparison.Ordinal);
            Assert.Contains("1 recording(s)", output, StringComparison.Ordinal);

            (code, output, error) = await RunAsync("recordings", "search", "--number", "06 12 34 56 78", "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains(id.ToString("N"), output, StringComparison.Ordinal);
            Assert.Contains("1 recording(s)", output, StringComparison.Ordinal);

            (code, output, error) = await RunAsync("recordings", "search", "--number", "06 00 00 00 00", "--config", config);
            Assert.True(code == 0, error);
            Assert.DoesNotContain(id.ToString("N"), output, StringComparison.Ordinal);
            Assert.Contains("0 recording(s)", output, StringComparison.Ordinal);

            (code, _, error) = await RunAsync("recordings", "search", "--number", "not a number", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains("not a phone number", error, StringComparison.Ordinal);

            string target = Path.Combine(folder, "out.ogg");
            (code, _, error) = await RunAsync("recordings", "export", id.ToString("N"), "--out", target, "--config", config);
            Assert.Equal(1, code);
            Assert.Contains($"the OS user {Environment.UserName} is not a CallSwitch user", error, StringComparison.Ordinal);
            Assert.False(File.Exists(target));

            await AddUserAsync(data, Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));
            (code, output, error) = await RunAsync("recordings", "export", id.ToString("N"), "--out", target, "--request", "R-1", "--config", config);
            Assert.True(code == 0, error + output);
            byte[] exported = await File.ReadAllBytesAsync(target);
            Assert.Equal("OggS"u8.ToArray(), exported[..4]);

            // The same stream but for its tags page, which now says who exported it, when and why.
            Assert.Equal(ogg[ThirdPage(ogg)..], exported[ThirdPage(exported)..]);
            Assert.Equal(ogg[..FirstPageEnd(ogg)], exported[..FirstPageEnd(exported)]);
            string tags = System.Text.Encoding.UTF8.GetString(exported[FirstPageEnd(exported)..ThirdPage(exported)]);
            Assert.Contains("EXPORTED_BY=" + Environment.UserName, tags, StringComparison.Ordinal);
            Assert.Contains("EXPORT_PURPOSE=data-subject request R-1", tags, StringComparison.Ordinal);
            Assert.Contains("EXPORTED_AT=20", tags, StringComparison.Ordinal);

            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                IReadOnlyList<AuditEntry> forRecording = await store.ReadAuditForRecordingAsync(id);
                AuditEvent export = Assert.Single(forRecording, e => e.Event.Action == AuditAction.Export).Event;
                Assert.Equal(Environment.UserName, export.Actor);
                Assert.Equal("data-subject request R-1", export.Purpose);
                IReadOnlyList<AuditEntry> all = await store.ReadAuditAsync(0, 100);
                Assert.Equal(3, all.Count(e => e.Event.Action == AuditAction.Search && e.Event.Purpose == "cli"));
                Assert.Contains(all, e => e.Event.Action == AuditAction.Search && e.Event.Detail == "number=" + Number);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ExportOfAnUnknownIdFailsWithoutCreatingAKeyOrAFile()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        try
        {
            await WriteOneRecordingAsync(Path.Combine(folder, "data"), Path.Combine(folder, "spool"));
            await AddUserAsync(Path.Combine(folder, "data"), Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));
            string target = Path.Combine(folder, "none.ogg");

            var (code, _, error) = await RunAsync("recordings", "export", Guid.NewGuid().ToString("N"), "--out", target, "--config", config);

            Assert.Equal(1, code);
            Assert.Contains("no recording", error, StringComparison.Ordinal);
            Assert.False(File.Exists(target));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RepairLeavesSealedRecordingsAloneAndNeedsTheMasterKey()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            await WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));

            var (code, output, error) = await RunAsync("recordings", "repair", "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains("0 of 0 incomplete recording(s) re-sealed", output, StringComparison.Ordinal);

            File.Delete(Path.Combine(data, RecordingVault.MasterKeyFileName));
            (code, _, error) = await RunAsync("recordings", "repair", "--config", config);
            Assert.Equal(1, code);
            Assert.StartsWith("no master key: ", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ListPrintsAStatusAsUsersReadIt()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            var (complete, _) = await WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));
            Guid running = Guid.CreateVersion7();
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                // A recording still being written (or left so by a crash): no completion.
                await store.AddRecordingAsync(Row(
                    running,
                    new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.Zero),
                    Guid.NewGuid(),
                    Path.Combine(folder, "spool", running.ToString("N") + ".ogg.enc")));
            }

            var (code, output, error) = await RunAsync("recordings", "list", "--config", config);

            Assert.True(code == 0, error);
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.EndsWith("  in-progress", Assert.Single(lines, l => l.StartsWith(running.ToString("N"), StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.EndsWith("  complete", Assert.Single(lines, l => l.StartsWith(complete.ToString("N"), StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains("2 recording(s)", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The embedded configuration with its store and spool in its own folder (./data, ./spool): the file's path.</summary>
    internal static async Task<(Guid Id, byte[] Ogg)> WriteOneRecordingAsync(string data, string spool)
    {
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(spool);
        byte[] master = RandomNumberGenerator.GetBytes(MasterKey.KeyLength);
        await File.WriteAllTextAsync(Path.Combine(data, RecordingVault.MasterKeyFileName), Convert.ToHexStringLower(master) + "\n");
        var keys = new RecordingKeyManager(new FileKeyStore(Path.Combine(data, RecordingVault.KeyDirectoryName)), new MasterKey(master));

        // The content the recorder would have written: an Ogg Opus stream (headers, then packets of random bytes).
        Guid id = Guid.CreateVersion7();
        byte[] ogg;
        using (var stream = new MemoryStream())
        {
            var writer = new CallSwitch.Recording.Ogg.OggOpusWriter(stream, 7, 2, 312, 48000, new CallSwitch.Recording.Ogg.RecordingTags(id.ToString("N"), "spring"));
            for (int i = 0; i < 1000; i++)
            {
                writer.WritePacket(RandomNumberGenerator.GetBytes(150), 960);
            }

            writer.Complete((1000 * 960) - 312);
            ogg = stream.ToArray();
        }

        string path = Path.Combine(spool, id.ToString("N") + ".ogg.enc");
        Guid keyId;
        using (DataKey key = keys.CreateDataKey())
        await using (var file = File.Create(path))
        await using (var writer = new EncryptedRecordingWriter(file, key.Key, key.Id))
        {
            keyId = key.Id;
            writer.Write(ogg);
            writer.Complete();
        }

        var started = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data });
        await store.SaveCallAsync(new CallRecord
        {
            CallId = "call-1",
            Direction = CallDirection.Outbound,
            AgentId = "1001",
            CampaignId = "spring",
            ProspectNumber = Number,
            StartedAt = started,
            Recorded = true,
        });
        await store.AddRecordingAsync(Row(id, started, keyId, path));
        await store.CompleteRecordingAsync(id, new RecordingCompletion
        {
            EndedAt = started.AddSeconds(42),
            Duration = TimeSpan.FromSeconds(42),
            Status = RecordingStatus.Complete,
            FileSize = new FileInfo(path).Length,
        });
        return (id, ogg);
    }

    /// <summary>The row of a recording of call-1 (campaign spring, agent 1001), as the switch creates it at the recording's start.</summary>
    private static NewRecording Row(Guid id, DateTimeOffset started, Guid keyId, string path) => new()
    {
        Id = id,
        CallId = "call-1",
        CampaignId = "spring",
        AgentId = "1001",
        ProspectNumber = Number,
        StartedAt = started,
        RuleId = "spring:always",
        Purposes = ["training"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionUntil = started.AddDays(30),
        KeyId = keyId,
        FilePath = path,
    };

    [Fact]
    public async Task ExportAsAUserChecksThePasswordAndTheRightToDownloadAndAuditsBothRefusals()
    {
        string config = ConfigFixture.WriteLocalConfig(yaml => yaml
            // The recording's campaign, with the default campaign's purposes (training, appointment validation).
            .Replace("demo-fr", "spring", StringComparison.Ordinal));
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            var (id, _) = await WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));
            await AddUserAsync(data, "qa", new RoleGrant(Role.Quality, AccessScope.All));
            string target = Path.Combine(folder, "qa.ogg");
            var arguments = new RecordingArguments { Config = config, Id = id.ToString("N"), Out = target, As = "qa", Purpose = "training" };

            var (code, _, error) = await ExportAsync(arguments with { ReadPassword = () => "not the password" });
            Assert.Equal(1, code);
            Assert.Contains("--as qa: sign-in failed", error, StringComparison.Ordinal);

            (code, _, error) = await ExportAsync(arguments with { ReadPassword = () => "qa password 123" });
            Assert.Equal(1, code);
            Assert.Equal("export refused to qa: downloads are off for a quality in campaign spring", error.Trim());
            Assert.False(File.Exists(target));

            await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data });
            IReadOnlyList<AuditEntry> audit = await store.ReadAuditAsync(0, 100);
            Assert.Contains(audit, e => e.Event is { Action: AuditAction.LoginFailed, Actor: "qa" });
            Assert.Contains(audit, e => e.Event is { Action: AuditAction.Login, Actor: "qa" });
            AuditEvent denied = Assert.Single(audit, e => e.Event.Action == AuditAction.AccessDenied).Event;
            Assert.Equal(id, denied.RecordingId);
            Assert.Equal("training", denied.Purpose);
            Assert.DoesNotContain(audit, e => e.Event.Action == AuditAction.Export);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Where the second Ogg page starts (the first, OpusHead, ends).</summary>
    private static int FirstPageEnd(byte[] ogg) => PageEnd(ogg, 0);

    /// <summary>Where the third Ogg page starts (the audio, after OpusHead and OpusTags).</summary>
    private static int ThirdPage(byte[] ogg) => PageEnd(ogg, PageEnd(ogg, 0));

    private static int PageEnd(byte[] ogg, int start)
    {
        Assert.Equal("OggS"u8.ToArray(), ogg[start..(start + 4)]);
        int segments = ogg[start + 26];
        int body = 0;
        for (int i = 0; i < segments; i++)
        {
            body += ogg[start + 27 + i];
        }

        return start + 27 + segments + body;
    }

    internal static async Task AddUserAsync(string data, string name, RoleGrant grant)
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data });
        Assert.True(await store.AddUserAsync(new NewUser(name, PasswordHasher.Hash("qa password 123"), null, [grant]), "test"));
    }

    private static async Task<(int Code, string Output, string Error)> ExportAsync(RecordingArguments arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await RecordingCommands.RunAsync("export", arguments, CommandLine.Load, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    internal static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
