using System.Diagnostics;
using System.Globalization;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Vault;
using Microsoft.Data.Sqlite;

namespace CallSwitch.PurgeBench;

/// <summary>
/// Runs the real sidecar once on a backlog, as its own process: its resident memory is read from
/// <c>/proc/PID/status</c> every 100 ms (and noted as the purged count passes each tenth of the
/// backlog, to show whether memory grows with it), purges are counted from its log, and once it
/// has exited what is left is counted on disk and in the store.
/// </summary>
internal static class PurgeRun
{
    public static async Task<int> RunAsync(string dir, string retention, TextWriter output, CancellationToken cancel)
    {
        string config = Path.Combine(dir, "callswitch.yaml");
        string data = Path.Combine(dir, "data");
        if (!File.Exists(config) || !File.Exists(retention))
        {
            throw new InvalidOperationException($"need {config} (generate first) and the sidecar at {retention}");
        }

        long due = await ScalarAsync(data, "SELECT count(*) FROM recordings WHERE erased_at_us IS NULL AND retention_until_us < ?", Micros(DateTimeOffset.UtcNow), cancel).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backlog: {due:N0} live recordings past their deadline; running {retention} --config {config} --once"));

        var psi = new ProcessStartInfo(retention) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--config", config, "--once" })
        {
            psi.ArgumentList.Add(a);
        }

        long purged = 0;
        string last = string.Empty;
        var clock = Stopwatch.StartNew();
        using Process sidecar = Process.Start(psi) ?? throw new InvalidOperationException("the sidecar did not start");
        try
        {
            sidecar.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    return;
                }

                if (line.Contains("Purged recording", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref purged);
                }
                else
                {
                    Volatile.Write(ref last, line);
                }
            };
            sidecar.OutputDataReceived += (_, _) => { };
            sidecar.BeginErrorReadLine();
            sidecar.BeginOutputReadLine();

            long peakRss = 0, peakHwm = 0;
            var samples = new List<(long Purged, long RssKb)>();
            long nextMark = Math.Max(1, due / 10);
            while (!sidecar.HasExited)
            {
                (long rss, long hwm) = Memory(sidecar.Id);
                peakRss = Math.Max(peakRss, rss);
                peakHwm = Math.Max(peakHwm, hwm);
                long n = Interlocked.Read(ref purged);
                if (n >= nextMark && rss > 0)
                {
                    samples.Add((n, rss));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,6:F1} s: {n,7:N0} purged, RSS {rss / 1024.0:F1} MiB"));
                    nextMark = ((n / Math.Max(1, due / 10)) + 1) * Math.Max(1, due / 10);
                }

                await Task.Delay(100, cancel).ConfigureAwait(false);
            }

            await sidecar.WaitForExitAsync(cancel).ConfigureAwait(false);
            double seconds = clock.Elapsed.TotalSeconds;
            long erased = await ScalarAsync(data, "SELECT count(*) FROM recordings WHERE erased_at_us IS NOT NULL", null, cancel).ConfigureAwait(false);
            long receipts = await ScalarAsync(data, "SELECT count(*) FROM deletion_receipts", null, cancel).ConfigureAwait(false);
            long left = await ScalarAsync(data, "SELECT count(*) FROM recordings WHERE erased_at_us IS NULL AND retention_until_us < ?", Micros(DateTimeOffset.UtcNow), cancel).ConfigureAwait(false);
            int files = Directory.Exists(Path.Combine(dir, "spool")) ? Directory.EnumerateFiles(Path.Combine(dir, "spool"), "*.ogg.enc", SearchOption.AllDirectories).Count() : 0;
            // The number-digest key stays: it is the vault's, not a recording's.
            string digestKey = RecordingVault.NumberDigestKeyId.ToString("D") + ".key";
            int keys = Directory.EnumerateFiles(Path.Combine(data, "keys"), "*.key").Count(k => Path.GetFileName(k) != digestKey);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sidecar exit {sidecar.ExitCode} after {seconds:F1} s; last line: {Volatile.Read(ref last)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"purged {purged:N0} ({purged / seconds:F0} recordings/s over the whole process, start-up included)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store: {erased:N0} tombstones, {receipts:N0} receipts, {left:N0} expired recordings left; disk: {files:N0} recording files, {keys:N0} recordings' wrapped keys left"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: peak RSS {peakRss / 1024.0:F1} MiB (VmHWM {peakHwm / 1024.0:F1} MiB); RSS by tenth of the backlog: {string.Join(", ", samples.Select(s => $"{s.RssKb / 1024.0:F0}"))} MiB"));
            return sidecar.ExitCode == 0 && left == 0 && receipts == erased ? 0 : 1;
        }
        finally
        {
            if (!sidecar.HasExited)
            {
                sidecar.Kill();
            }
        }
    }

    /// <summary>VmRSS and VmHWM of a process, in KiB (0 when it is gone).</summary>
    private static (long Rss, long Hwm) Memory(int pid)
    {
        try
        {
            long rss = 0, hwm = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kb(line);
                }
            }

            return (rss, hwm);
        }
        catch (IOException)
        {
            return (0, 0);
        }

        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static long Micros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static async Task<long> ScalarAsync(string data, string sql, long? parameter, CancellationToken cancel)
    {
        string path = new SqliteMetadataStoreOptions { DataDirectory = data }.DatabasePath;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(cancel).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue("$p", p);
            command.CommandText = sql.Replace("?", "$p", StringComparison.Ordinal);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancel).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
