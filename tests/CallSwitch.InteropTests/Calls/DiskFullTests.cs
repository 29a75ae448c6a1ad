using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Encryption;
using CallSwitch.Server.Hosting;
using Xunit.Abstractions;
using StoreRecordingStatus = CallSwitch.Compliance.Storage.RecordingStatus;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// A full spool, for real: a small tmpfs is mounted as the spool (the tests run as root; a mount
/// that fails fails the test with the reason), a first recorded call finishes, the file system is
/// shrunk to leave a few seconds of room, and a second recorded call fills it. The recording that
/// hits ENOSPC stops cleanly (logged, counted, its row incomplete with the file's true size and
/// hash), the call goes on with its media, and the first recording stays whole.
/// </summary>
public class DiskFullTests(ITestOutputHelper output)
{
    private const int Page = 4096;

    [Fact]
    public async Task ARecordingThatFillsTheSpoolStopsCleanlyTheCallGoesOnAndEarlierRecordingsStayWhole()
    {
        var rule = new RecordingRule
        {
            CampaignId = "spring",
            Mode = RecordingMode.Always,
            RecordAnnouncement = true,
            Purposes = ["training"],
            LegalBasis = LegalBasis.LegitimateInterest,
            RetentionDays = 30,
        };
        string mount = Directory.CreateTempSubdirectory("cs-tmpfs-").FullName;
        string data = Directory.CreateTempSubdirectory("cs-data-").FullName;
        Mount("-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount);
        try
        {
            // First call, on a switch of its own: recorded whole while there is room.
            string spool = Path.Combine(mount, "spool");
            byte[][] agentTone = CallHarness.PcmuTone(440, 400);
            byte[][] prospectTone = CallHarness.PcmuTone(1000, 400);
            RecordingResult whole;
            RecordingKeyManager wholeKeys;
            await using (var h = CallHarness.Start(recording: rule, spool: spool, dataPath: data))
            {
                h.AgentPayload = i => agentTone[i % agentTone.Length];
                h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
                var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 2000);
                Assert.True(agent.ExitCode == 0 && trunk.ExitCode == 0, $"first call: {agent}\n{trunk}\n--- switch log ---\n{h.Switch.Log}");
                await h.LastCall!.Completion.WaitAsync(TimeSpan.FromSeconds(5));
                whole = Assert.Single(h.LastCall.Recording!.Results);
                Assert.Equal(StoreRecordingStatus.Complete, whole.Status);
                wholeKeys = h.RecordingKeys!;
            }

            byte[] wholeBytes = await File.ReadAllBytesAsync(whole.FilePath!);

            // Leave about four seconds of audio's room (six pages): the next recording fills it.
            long used = ((wholeBytes.Length + Page - 1) / Page) * Page;
            Mount("-o", $"remount,size={(used / 1024) + 24}k", mount);

            // Second call, on a switch restarted on the same spool and data.
            await using (var h = CallHarness.Start(recording: rule, spool: spool, dataPath: data))
            {
                h.AgentPayload = i => agentTone[i % agentTone.Length];
                h.ProspectPayload = i => prospectTone[i % prospectTone.Length];
                CallArchive archive = h.Switch.Host.Archive!;
                RecordingService recordings = h.Switch.Host.Recordings!;
                long receivedAtFailure = -1;
                using var watching = new CancellationTokenSource();
                Task watch = Task.Run(async () =>
                {
                    while (!watching.IsCancellationRequested && recordings.Failures == 0)
                    {
                        await Task.Delay(10);
                    }

                    Interlocked.Exchange(ref receivedAtFailure, ProspectPackets(h, prospectTone));
                });
                var (agent, trunk) = await h.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: 10000);
                await watching.CancelAsync();
                await watch;

                // The call went on to its normal end, with the parties hearing each other after the failure.
                Assert.True(agent.ExitCode == 0 && trunk.ExitCode == 0, $"second call: {agent}\n{trunk}\n--- switch log ---\n{h.Switch.Log}");
                B2buaCall second = h.LastCall!;
                await second.Completion.WaitAsync(TimeSpan.FromSeconds(5));
                Assert.Equal(CallEnd.AgentHungUp, second.EndReason);
                Assert.Equal(1, recordings.Failures);
                long after = ProspectPackets(h, prospectTone) - Interlocked.Read(ref receivedAtFailure);
                Assert.True(after >= 100, $"only {after} prospect packets reached the agent after the failure\n{h.Switch.Log}");

                // Stopped cleanly: logged with the cause, the result says so, the file is exactly what the result describes.
                RecordingResult failed = Assert.Single(second.Recording!.Results);
                Assert.Equal(StoreRecordingStatus.Incomplete, failed.Status);
                Assert.Equal(RecordingStopReason.WriteFailed, failed.StopReason);
                Assert.Contains($"Recording {failed.RecordingId} failed while writing", h.Switch.Log, StringComparison.Ordinal);
                Assert.Contains("No space left on device", h.Switch.Log, StringComparison.Ordinal);
                byte[] failedBytes = await File.ReadAllBytesAsync(failed.FilePath!);
                Assert.Equal(failed.FileSize, failedBytes.Length);
                Assert.Equal(failed.CiphertextSha256, Convert.ToHexStringLower(SHA256.HashData(failedBytes)));
                Assert.True(failed.Duration > TimeSpan.FromSeconds(1), $"the recording failed after {failed.Duration}");
                output.WriteLine($"spool {(used / 1024) + 24} KiB, first recording {wholeBytes.Length} bytes ({whole.Duration.TotalSeconds:F2} s); second stopped after {failed.Duration.TotalSeconds:F2} s at {failedBytes.Length} bytes; {after} prospect packets relayed to the agent after the failure");

                // What it wrote is authentic up to where the disk filled: the reader sees a truncated file, not a damaged one.
                var truncated = Assert.Throws<RecordingIntegrityException>(() => Decrypt(failed.FilePath!, h.RecordingKeys!));
                Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

                // The metadata: the failed recording incomplete with its file's size and hash, the call ended.
                await archive.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
                RecordingMetadata row = (await archive.Store.GetRecordingAsync(Guid.Parse(failed.RecordingId)))!;
                Assert.Equal(StoreRecordingStatus.Incomplete, row.Status);
                Assert.Equal(failedBytes.Length, row.FileSize);
                Assert.Equal(failed.CiphertextSha256, row.CiphertextSha256);
                Assert.NotNull((await archive.Store.GetCallAsync(second.Id))!.EndedAt);
                Assert.Equal(StoreRecordingStatus.Complete, (await archive.Store.GetRecordingAsync(Guid.Parse(whole.RecordingId)))!.Status);
            }

            // The first recording is untouched and still plays.
            Assert.Equal(wholeBytes, await File.ReadAllBytesAsync(whole.FilePath!));
            RecordedAudio audio = RecordedAudio.Open(whole.FilePath!, wholeKeys);
            Assert.True(Math.Abs(audio.PlaybackLength - whole.Duration.TotalSeconds) <= 0.03, $"opusinfo {audio.PlaybackLength} s, recorded {whole.Duration}");
        }
        finally
        {
            Mount("-u", mount);
            Directory.Delete(mount, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    private static long ProspectPackets(CallHarness h, byte[][] prospectTone) =>
        h.AgentMedia.Received.Count(p => prospectTone.Any(f => f.AsSpan().SequenceEqual(p.Payload)));

    private static void Decrypt(string path, RecordingKeyManager keys)
    {
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), id => keys.GetDataKey(id).Key.ToArray());
        reader.CopyTo(Stream.Null);
    }

    /// <summary>Runs mount (or umount, with "-u" first); fails the test with the tool's own words.</summary>
    private static void Mount(params string[] arguments)
    {
        bool unmount = arguments[0] == "-u";
        var info = new ProcessStartInfo(unmount ? "umount" : "mount") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in unmount ? arguments[1..] : arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("mount did not start");
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(10_000), "mount hung");
        Assert.True(process.ExitCode == 0, $"{info.FileName} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {error.Trim()} (the disk-full test mounts a tmpfs: it needs root)");
    }
}
