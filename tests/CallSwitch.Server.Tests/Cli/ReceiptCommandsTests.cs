using System.Diagnostics;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Cli;
using CallSwitch.TestSupport;
using Serilog.Core;

namespace CallSwitch.Server.Tests.Cli;

/// <summary><c>callswitch receipts show|verify|public-key</c>, and a receipt checked by the real openssl.</summary>
public class ReceiptCommandsTests
{
    [Fact]
    public async Task AnErasedRecordingsReceiptIsShownAndVerifiesWithTheCliAndWithOpensslAlone()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        string data = Path.Combine(folder, "data");
        string spool = Path.Combine(folder, "spool");
        try
        {
            var (id, _) = await RecordingCommandsTests.WriteOneRecordingAsync(data, spool);
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            using (RecordingVault vault = RecordingVault.OpenExisting(data, spool, Logger.None))
            using (EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(data, EcdsaReceiptSigner.KeyFileName)))
            {
                var eraser = new RecordingEraser(store, store, vault, vault, signer, TimeProvider.System);
                Assert.Equal(ErasureOutcome.Erased, await eraser.EraseAsync(new ErasureRequest(id, "retention", "retention-expired", "rule spring:always")));
            }

            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(Path.Combine(data, EcdsaReceiptSigner.KeyFileName));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
            }

            string receipts = Path.Combine(folder, "receipts");
            var (code, output, error) = await RecordingCommandsTests.RunAsync("receipts", "show", id.ToString("N"), "--out", receipts, "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains($"\"recordingId\":\"{id:D}\"", output, StringComparison.Ordinal);
            Assert.Contains("\"reason\":\"retention-expired\"", output, StringComparison.Ordinal);
            Assert.DoesNotContain("+336", output, StringComparison.Ordinal);

            string document = Path.Combine(receipts, id.ToString("D") + ".json");
            string pem = Path.Combine(receipts, ReceiptCommands.PublicKeyFileName);
            var (sslCode, sslOutput) = Openssl("dgst", "-sha256", "-verify", pem, "-signature", document + ".sig", document);
            Assert.True(sslCode == 0, sslOutput);
            Assert.Contains("Verified OK", sslOutput, StringComparison.Ordinal);

            (code, output, error) = await RecordingCommandsTests.RunAsync("receipts", "verify", document, "--config", config);
            Assert.True(code == 0, error);
            Assert.Contains($"valid: recording {id:D} (campaign spring)", output, StringComparison.Ordinal);

            (code, output, error) = await RecordingCommandsTests.RunAsync("receipts", "public-key", "--config", config);
            Assert.True(code == 0, error);
            Assert.Equal((await File.ReadAllTextAsync(pem)).Trim(), output.Trim());

            // One changed byte: neither openssl nor the CLI accepts it.
            byte[] bytes = await File.ReadAllBytesAsync(document);
            bytes[bytes.Length / 2] ^= 0x01;
            await File.WriteAllBytesAsync(document, bytes);
            (sslCode, sslOutput) = Openssl("dgst", "-sha256", "-verify", pem, "-signature", document + ".sig", document);
            Assert.NotEqual(0, sslCode);
            Assert.Contains("Verification failure", sslOutput, StringComparison.Ordinal);
            (code, _, error) = await RecordingCommandsTests.RunAsync("receipts", "verify", document, "--key", pem, "--config", config);
            Assert.Equal(1, code);
            Assert.Contains("INVALID", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ARecordingWithoutAReceiptAndABadIdAreRefusedInOneLine()
    {
        string config = ConfigFixture.WriteLocalConfig();
        string folder = Path.GetDirectoryName(config)!;
        try
        {
            var (id, _) = await RecordingCommandsTests.WriteOneRecordingAsync(Path.Combine(folder, "data"), Path.Combine(folder, "spool"));

            var (code, _, error) = await RecordingCommandsTests.RunAsync("receipts", "show", id.ToString("N"), "--config", config);
            Assert.Equal(1, code);
            Assert.Equal($"no deletion receipt for {id:N}", error.Trim());

            (code, _, error) = await RecordingCommandsTests.RunAsync("receipts", "show", "nope", "--config", config);
            Assert.Equal(2, code);
            Assert.Equal("not a recording id: nope", error.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Code, string Output) Openssl(params string[] arguments)
    {
        var info = new ProcessStartInfo(ExternalTools.Find("openssl", "openssl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "openssl did not finish within 30 s");
        return (process.ExitCode, output + error.Result);
    }
}
