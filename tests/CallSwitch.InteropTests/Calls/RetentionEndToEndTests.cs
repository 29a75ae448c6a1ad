using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Cli;
using CallSwitch.TestSupport;
using Serilog.Core;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// Calls recorded by the real switch (SIPp agent and trunk) in two campaigns with different
/// retention, then the retention sidecar run as its own process past one deadline: exactly that
/// campaign's recordings go (file, key, tombstone, receipt checked by openssl), the held one and
/// the other campaign's stay, and a second run does nothing.
/// </summary>
public class RetentionEndToEndTests
{
    private static readonly string SidecarDll = Path.Combine(AppContext.BaseDirectory, "callswitch-retention.dll");

    [Fact]
    public async Task TheSidecarPurgesExactlyTheExpiredCampaignsRecordingsBesideTheSwitch()
    {
        var (config, folder, data, spool) = await LocalStore.CreateAsync();
        try
        {
            // demo-en keeps 90 days, demo-fr 180 (as in the YAML the sidecar reads).
            RecordingMetadata en = (await CallHarness.RecordOneCallAsync("demo-en", 90, data, spool)).Recording;
            RecordingMetadata enHeld = (await CallHarness.RecordOneCallAsync("demo-en", 90, data, spool)).Recording;
            RecordingMetadata fr = (await CallHarness.RecordOneCallAsync("demo-fr", 180, data, spool)).Recording;
            string enWrappedKey = Path.Combine(data, RecordingVault.KeyDirectoryName, en.KeyId!.Value.ToString("D") + ".key");
            Assert.True(File.Exists(enWrappedKey), "the wrapped key is not where the vault keeps keys: " + enWrappedKey);
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                Assert.True(await store.SetLegalHoldAsync(enHeld.Id, true, "dpo", "litigation 2026-7"));
            }

            string asOf = en.StartedAt.AddDays(100).ToString("o", CultureInfo.InvariantCulture);
            var (code, text) = await RunSidecarAsync("--config", config, "--now", asOf);
            Assert.True(code == 0, text);

            Assert.False(File.Exists(en.FilePath));
            Assert.False(File.Exists(enWrappedKey));
            using (RecordingVault vault = RecordingVault.OpenExisting(data, spool, Logger.None))
            {
                Assert.Throws<KeyNotFoundException>(() => vault.Keys.GetDataKey(en.KeyId.Value));
                Assert.NotNull(vault.Keys.GetDataKey(fr.KeyId!.Value));
            }

            Assert.True(File.Exists(enHeld.FilePath));
            Assert.True(File.Exists(fr.FilePath));
            long audit;
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                RecordingMetadata tombstone = (await store.GetRecordingAsync(en.Id))!;
                Assert.True(tombstone.IsErased);
                Assert.Null(tombstone.ProspectNumber);
                Assert.Null(tombstone.FilePath);
                Assert.Null(tombstone.KeyId);
                Assert.NotNull(tombstone.ProspectNumberDigest);
                Assert.Equal(en.CiphertextSha256, tombstone.CiphertextSha256);
                Assert.True((await store.GetRecordingAsync(enHeld.Id))!.IsPlayable);
                Assert.True((await store.GetRecordingAsync(fr.Id))!.IsPlayable);
                audit = (await store.ReadAuditAsync(0, 10_000)).Count;
            }

            string receipts = Path.Combine(folder, "receipts");
            (code, string output, string error) = await RunCliAsync("receipts", "show", en.Id.ToString("D"), "--out", receipts, "--config", config);
            Assert.True(code == 0, error);
            string document = Path.Combine(receipts, en.Id.ToString("D") + ".json");
            var (sslCode, sslText) = await RunAsync(
                ExternalTools.Find("openssl", "openssl"),
                "dgst", "-sha256", "-verify", Path.Combine(receipts, "receipt-signing.pub.pem"), "-signature", document + ".sig", document);
            Assert.True(sslCode == 0 && sslText.Contains("Verified OK", StringComparison.Ordinal), sslText);
            Assert.Contains($"\"ciphertextSha256\":\"{en.CiphertextSha256}\"", output, StringComparison.Ordinal);

            // A second run finds nothing more to do.
            (code, text) = await RunSidecarAsync("--config", config, "--now", asOf);
            Assert.True(code == 0, text);
            Assert.Contains("0 purged", text, StringComparison.Ordinal);
            await using (SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = data }))
            {
                Assert.Equal(audit, (await store.ReadAuditAsync(0, 10_000)).Count);
            }

            Assert.True(File.Exists(enHeld.FilePath));
            Assert.True(File.Exists(fr.FilePath));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<(int Code, string Text)> RunSidecarAsync(params string[] args)
    {
        Assert.True(File.Exists(SidecarDll), "the sidecar is not built beside the tests: " + SidecarDll);
        return RunAsync("dotnet", [SidecarDll, .. args]);
    }

    internal static async Task<(int Code, string Text)> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Keys come from the data folder, as the switch's did.
        info.Environment.Remove(MasterKeySource.EnvironmentVariable);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException(program + " did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The <c>callswitch</c> command line run in this process, its output and error captured.</summary>
    internal static async Task<(int Code, string Output, string Error)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
