using System.IO.Compression;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch requests ...</c> and <c>callswitch do-not-call ...</c>, run in-process on a store with one real (encrypted) recording.</summary>
public class RequestCommandsTests
{
    [Fact]
    public async Task AnAccessRequestIsOpenedListedAnsweredWithTheDecryptedRecordingAndShownStepByStep()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            var (id, ogg) = await RecordingCommandsTests.WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));
            await RecordingCommandsTests.AddUserAsync(data, Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));

            var (code, output, error) = await RecordingCommandsTests.RunAsync(
                "requests", "open", "--type", "access", "--number", "06 12 34 56 78", "--reference", "letter 2026-41", "--received", "2026-12-01", "--config", config);
            Assert.True(code == 0, error);
            Assert.Equal("opened DSR-1: access for +*********78, due 2026-12-31T00:00:00Z", output.Trim());

            (code, output, error) = await RecordingCommandsTests.RunAsync("requests", "list", "--status", "open", "--config", config);
            Assert.True(code == 0, error);
            Assert.StartsWith("DSR-1  access  +*********78  received 2026-12-01T00:00:00Z  due 2026-12-31T00:00:00Z  open", output, StringComparison.Ordinal);
            Assert.DoesNotContain("612345678", output, StringComparison.Ordinal);

            string bundle = Path.Combine(folder, "bundle.zip");
            (code, output, error) = await RecordingCommandsTests.RunAsync("requests", "fulfil", "DSR-1", "--out", bundle, "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains("DSR-1 done", output, StringComparison.Ordinal);
            using (ZipArchive zip = ZipFile.OpenRead(bundle))
            {
                using var copy = new MemoryStream();
                using (Stream entry = zip.GetEntry($"recordings/{id:D}.ogg")!.Open())
                {
                    entry.CopyTo(copy);
                }

                // The recording decrypted, its audio pages as recorded (only the tags page is rewritten for the watermark).
                byte[] exported = copy.ToArray();
                Assert.Equal(ogg.AsSpan(ogg.Length - 4096).ToArray(), exported.AsSpan(exported.Length - 4096).ToArray());
                Assert.Contains("EXPORT_PURPOSE=data-subject request DSR-1", System.Text.Encoding.ASCII.GetString(exported), StringComparison.Ordinal);
            }

            (code, output, error) = await RecordingCommandsTests.RunAsync("requests", "show", "1", "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains($"done ", output, StringComparison.Ordinal);
            Assert.Contains($"{Environment.UserName}  request-opened", output, StringComparison.Ordinal);
            Assert.Contains($"{Environment.UserName}  export  recording {id:D}", output, StringComparison.Ordinal);
            Assert.Contains($"{Environment.UserName}  request-bundle-written", output, StringComparison.Ordinal);

            (code, _, error) = await RecordingCommandsTests.RunAsync("requests", "fulfil", "DSR-1", "--out", Path.Combine(folder, "again.zip"), "--config", config);
            Assert.Equal(1, code);
            Assert.StartsWith("requests fulfil: DSR-1 is already done", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnOsUserWhoIsNoDpoIsRefusedAndNothingIsStored()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            await RecordingCommandsTests.WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));
            var (code, _, error) = await RecordingCommandsTests.RunAsync("requests", "open", "--type", "erasure", "--number", "06 12 34 56 78", "--config", config);
            Assert.Equal(1, code);
            Assert.Contains($"the OS user {Environment.UserName} is not a CallSwitch user", error, StringComparison.Ordinal);

            await RecordingCommandsTests.AddUserAsync(data, Environment.UserName, new RoleGrant(Role.Quality, AccessScope.All));
            (code, _, error) = await RecordingCommandsTests.RunAsync("requests", "open", "--type", "erasure", "--number", "06 12 34 56 78", "--config", config);
            Assert.Equal(1, code);
            Assert.Contains("roles (quality@*) may handle data-subject requests", error, StringComparison.Ordinal);

            await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data });
            Assert.Empty(await store.ListRequestsAsync(null, null));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(2, "not a request id: R2D2", "requests", "show", "R2D2")]
    [InlineData(2, "--type: erase is not one of access, erasure, restriction, objection", "requests", "open", "--type", "erase", "--number", "0612345678")]
    [InlineData(2, "--status: closed is not one of open, done, rejected", "requests", "list", "--status", "closed")]
    [InlineData(2, "--received: not a date: yesterday", "requests", "open", "--type", "access", "--number", "0612345678", "--received", "yesterday")]
    [InlineData(1, "requests show: no request DSR-9", "requests", "show", "DSR-9")]
    [InlineData(1, "requests open: not a phone number: 12", "requests", "open", "--type", "access", "--number", "12")]
    public async Task BadArgumentsGetOneLineAndANonZeroExit(int expected, string reason, params string[] args)
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            await RecordingCommandsTests.WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));
            await RecordingCommandsTests.AddUserAsync(data, Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));

            var (code, output, error) = await RecordingCommandsTests.RunAsync([.. args, "--config", config]);

            Assert.Equal(expected, code);
            Assert.StartsWith(reason, error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Equal(string.Empty, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheDoNotCallListIsImportedListedMaskedAndExportedInClearForTheClient()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        try
        {
            await RecordingCommandsTests.WriteOneRecordingAsync(data, Path.Combine(folder, "spool"));
            await RecordingCommandsTests.AddUserAsync(data, Environment.UserName, new RoleGrant(Role.Dpo, AccessScope.All));
            string csv = Path.Combine(folder, "client.csv");
            await File.WriteAllTextAsync(csv, "number,campaign\n06 12 34 56 78,demo-fr\n+33698765432\n");

            var (code, output, error) = await RecordingCommandsTests.RunAsync("do-not-call", "import", csv, "--config", config);
            Assert.True(code == 0, error);
            Assert.Equal("2 number(s) read, 2 new on the list", output.Trim());

            (code, output, error) = await RecordingCommandsTests.RunAsync("do-not-call", "list", "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains("+*********78  campaign demo-fr", output, StringComparison.Ordinal);
            Assert.Contains("+*********32  every campaign", output, StringComparison.Ordinal);
            Assert.DoesNotContain("612345678", output, StringComparison.Ordinal);

            string exported = Path.Combine(folder, "export.csv");
            (code, _, error) = await RecordingCommandsTests.RunAsync("do-not-call", "export", "--out", exported, "--config", config);
            Assert.True(code == 0, error);
            string[] lines = await File.ReadAllLinesAsync(exported);
            Assert.StartsWith("+33612345678,demo-fr,", lines[1], StringComparison.Ordinal);
            Assert.StartsWith("+33698765432,,", lines[2], StringComparison.Ordinal);

            await File.WriteAllTextAsync(csv, "0612\n");
            (code, _, error) = await RecordingCommandsTests.RunAsync("do-not-call", "import", csv, "--config", config);
            Assert.Equal(1, code);
            Assert.Contains("line 1", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
