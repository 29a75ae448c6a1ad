using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Requests;
using CallSwitch.InteropTests.Calls;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Peers;
using Serilog.Core;

namespace CallSwitch.InteropTests.Requests;

/// <summary>
/// Data-subject requests end to end, with the real switch and SIPp: three calls to one number in
/// two campaigns (one held); an access request's bundle (its recordings decode with opusinfo and
/// ffprobe, its JSON lists exactly those calls); an erasure that keeps the held recording, erases
/// the others (files and keys gone, receipts verified by openssl) and leaves the number nowhere
/// in the store or the switch's logs but in the held recording's row; an objection after which
/// the agent's next call to the number gets 603 at SIPp and no INVITE reaches the trunk.
/// Everything through the <c>callswitch</c> command line, as the OS user (a dpo).
/// </summary>
public class RequestsEndToEndTests
{
    private const string Written = "06 12 34 56 78";
    private const string InClear = "612345678";

    [Fact]
    public async Task AccessErasureAndObjectionOfOneNumberThroughTheRealSwitch()
    {
        var (config, folder, data, spool) = await LocalStore.CreateAsync();
        var logs = new List<string>();
        try
        {
            var calls = new List<RecordingMetadata>();
            foreach ((string campaign, int days) in new[] { ("demo-en", 90), ("demo-en", 90), ("demo-fr", 180) })
            {
                var (recording, log) = await CallHarness.RecordOneCallAsync(campaign, days, data, spool);
                calls.Add(recording);
                logs.Add(log);
            }

            RecordingMetadata held = calls[2];
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                Assert.True(await store.AddUserAsync(new NewUser(Environment.UserName, PasswordHasher.Hash("a dpo password 1"), null, [new RoleGrant(Role.Dpo, AccessScope.All)]), "test"));
            }

            await CliAsync("holds", "add", "--recording", held.Id.ToString("D"), "--reason", "litigation 2026-7", "--requested-by", "court of Lyon", "--config", config);

            // Access: one bundle with the three recordings, decodable, and a JSON of exactly those calls.
            string access = Opened(await CliAsync("requests", "open", "--type", "access", "--number", Written, "--reference", "letter 1", "--config", config));
            string bundle = Path.Combine(folder, "answer.zip");
            await CliAsync("requests", "fulfil", access, "--out", bundle, "--config", config);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(bundle));
            using (ZipArchive zip = ZipFile.OpenRead(bundle))
            {
                Assert.Equal(
                    calls.Select(c => $"recordings/{c.Id:D}.ogg").Order(),
                    zip.Entries.Where(e => e.FullName.StartsWith("recordings/", StringComparison.Ordinal)).Select(e => e.FullName).Order());
                foreach (ZipArchiveEntry entry in zip.Entries.Where(e => e.FullName.EndsWith(".ogg", StringComparison.Ordinal)))
                {
                    RecordedAudio audio = RecordedAudio.FromOgg(Bytes(entry));
                    Assert.True(audio.Seconds > 1.0, $"{entry.FullName}: {audio.Seconds:F2} s\n{audio.OpusInfo}");
                }

                using JsonDocument summary = JsonDocument.Parse(Bytes(zip.GetEntry("summary.json")!));
                Assert.Equal(
                    calls.Select(c => c.CallId).Order(),
                    summary.RootElement.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("callId").GetString()).Order());
                Assert.Equal(
                    calls.Select(c => c.Id).Order(),
                    summary.RootElement.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("recordingId").GetGuid()).Order());
            }

            // Erasure: the held one stays (and says why); the others' files and keys go, with receipts openssl verifies.
            string erasure = Opened(await CliAsync("requests", "open", "--type", "erasure", "--number", "+33 6 12 34 56 78", "--config", config));
            string receipts = Path.Combine(folder, "receipts");
            string answer = await CliAsync("requests", "fulfil", erasure, "--out", receipts, "--config", config);
            Assert.Contains($"recording {held.Id:D}", answer, StringComparison.Ordinal);
            Assert.Contains("KEPT", answer, StringComparison.Ordinal);
            Assert.Contains("\"litigation 2026-7\", requested by court of Lyon", answer, StringComparison.Ordinal);
            using (RecordingVault vault = RecordingVault.OpenExisting(data, spool, Logger.None))
            {
                foreach (RecordingMetadata erased in calls.Take(2))
                {
                    Assert.False(File.Exists(erased.FilePath), erased.FilePath);
                    Assert.Throws<KeyNotFoundException>(() => vault.Keys.GetDataKey(erased.KeyId!.Value));
                    string document = Path.Combine(receipts, erased.Id.ToString("D") + ".json");
                    var (ssl, sslText) = await RetentionEndToEndTests.RunAsync(
                        ExternalTools.Find("openssl", "openssl"), "dgst", "-sha256", "-verify", Path.Combine(receipts, "receipt-signing.pub.pem"), "-signature", document + ".sig", document);
                    Assert.True(ssl == 0 && sslText.Contains("Verified OK", StringComparison.Ordinal), sslText);
                }

                Assert.True(File.Exists(held.FilePath));
                Assert.NotNull(vault.Keys.GetDataKey(held.KeyId!.Value));
            }

            Assert.Equal([("recordings", "prospect_number", 1L)], StoreText.Occurrences(Path.Combine(data, SqliteMetadataStoreOptions.DefaultFileName), InClear));

            // Objection: the next agent call to the number is declined by the switch, the trunk sees nothing.
            string objection = Opened(await CliAsync("requests", "open", "--type", "objection", "--number", Written, "--config", config));
            Assert.Contains("do-not-call", await CliAsync("requests", "fulfil", objection, "--config", config), StringComparison.Ordinal);
            logs.Add(await DeclinedCallAsync(data, spool));

            foreach (string log in logs)
            {
                Assert.DoesNotContain(InClear, log, StringComparison.Ordinal);
            }

            string show = await CliAsync("requests", "show", erasure, "--config", config);
            Assert.Contains("request-fulfilled", show, StringComparison.Ordinal);
            Assert.Contains("erase", show, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task BadInputIsRefusedWithOneLineAndChangesNothing()
    {
        var (config, folder, data, spool) = await LocalStore.CreateAsync();
        try
        {
            await CallHarness.RecordOneCallAsync("demo-en", 90, data, spool);
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                Assert.True(await store.AddUserAsync(new NewUser(Environment.UserName, PasswordHasher.Hash("a dpo password 1"), null, [new RoleGrant(Role.Dpo, AccessScope.All)]), "test"));
            }

            string access = Opened(await CliAsync("requests", "open", "--type", "access", "--number", Written, "--config", config));
            string bundle = Path.Combine(folder, "answer.zip");
            await CliAsync("requests", "fulfil", access, "--out", bundle, "--config", config);
            long audit = await AuditCountAsync(data);
            byte[] answered = await File.ReadAllBytesAsync(bundle);

            await RefusedAsync(data, audit, "not a phone number: 06 12 34", "requests", "open", "--type", "erasure", "--number", "06 12 34", "--config", config);
            await RefusedAsync(data, audit, "no request DSR-99", "requests", "fulfil", "DSR-99", "--config", config);
            await RefusedAsync(data, audit, $"{access} is already done", "requests", "fulfil", access, "--out", Path.Combine(folder, "again.zip"), "--config", config);
            await RefusedAsync(data, audit, "no call nor recording of +*********01", "requests", "open", "--type", "access", "--number", "06 98 76 54 01", "--config", config);
            await RefusedAsync(data, audit, "is not one of access", "requests", "open", "--type", "deletion", "--number", Written, "--config", config);

            Assert.Equal(answered, await File.ReadAllBytesAsync(bundle));
            Assert.False(File.Exists(Path.Combine(folder, "again.zip")));
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                Assert.Equal(Compliance.Requests.RequestStatus.Done, Assert.Single(await store.ListRequestsAsync(null, null)).Status);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A switch started after the objection (the list is loaded before SIP opens): SIPp as the agent calls the number and expects 603; a socket on the trunk's port sees nothing.</summary>
    private static async Task<string> DeclinedCallAsync(string data, string spool)
    {
        var rule = new RecordingRule { CampaignId = "demo-en", Mode = RecordingMode.Always, Purposes = ["training"], LegalBasis = LegalBasis.LegitimateInterest, RetentionDays = 90 };
        await using var h = CallHarness.Start(recording: rule, dataPath: data, spool: spool, vault: RecordingVault.Open(data, spool, Logger.None));
        using var trunk = new UdpClient(new IPEndPoint(IPAddress.Loopback, h.TrunkPort));
        Task<UdpReceiveResult> received = trunk.ReceiveAsync();
        Dictionary<string, string> values = h.AgentValues(CallHarness.Number, talkMs: 0, hangup: null);
        values["FINAL"] = "603";
        SippResult agent = await Sipp.RunAsync(CallHarness.Scenario("agent-rejected"), h.Switch.EndPoint, tcp: false, values, timeLimit: TimeSpan.FromSeconds(20));
        Assert.True(agent.ExitCode == 0, "agent: " + agent + "\n--- switch log ---\n" + h.Switch.Log);

        // The refusal is decided before any trunk channel is taken; half a second more for a stray INVITE.
        Task first = await Task.WhenAny(received, Task.Delay(500));
        Assert.True(first != received, "the trunk received: " + (received.IsCompletedSuccessfully ? System.Text.Encoding.UTF8.GetString(received.Result.Buffer) : "?"));
        Assert.Contains("603 Decline", h.Switch.Log, StringComparison.Ordinal);
        Assert.Contains("do-not-call list", h.Switch.Log, StringComparison.Ordinal);
        Assert.Empty(h.Switch.Host.Calls.Calls);
        return h.Switch.Log;
    }

    private static async Task RefusedAsync(string data, long audit, string reason, params string[] args)
    {
        var (code, output, error) = await RetentionEndToEndTests.RunCliAsync(args);
        Assert.True(code != 0, $"{string.Join(' ', args)} exited 0: {output}");
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(audit, await AuditCountAsync(data));
    }

    private static async Task<long> AuditCountAsync(string data)
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data });
        return (await store.ReadAuditAsync(0, AuditQuery.MaxLimit)).Count;
    }

    private static async Task<string> CliAsync(params string[] args)
    {
        var (code, output, error) = await RetentionEndToEndTests.RunCliAsync(args);
        Assert.True(code == 0, $"callswitch {string.Join(' ', args)}: exit {code}\n{error}{output}");
        return output;
    }

    private static string Opened(string output) =>
        Regex.Match(output, @"opened (DSR-\d+)") is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no request id in: " + output);

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
