using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CallSwitch.LoadHarness.Recording;

/// <summary>
/// After a recorded run, once the switch has stopped: reads every recording's row from the
/// metadata store, checks that it is finished and complete in every field and that its file
/// is on disk with the size and SHA-256 the row says; then exports a sample through the
/// product's own <c>callswitch recordings export</c> (which decrypts) and runs opusinfo and
/// ffprobe on each export.
/// </summary>
internal static class RecordingAudit
{
    /// <summary>A recording must last as long as it ran, ± 100 ms (issue 4).</summary>
    private static readonly TimeSpan MaxDrift = TimeSpan.FromMilliseconds(100);

    public static async Task<RecordingFigures> RunAsync(
        string exe,
        string config,
        string dataDirectory,
        string spoolDirectory,
        string masterKeyHex,
        string exportDirectory,
        int samples,
        CancellationToken cancel)
    {
        var problems = new List<string>();
        List<RecordingMetadata> rows = await ReadAllAsync(dataDirectory, cancel).ConfigureAwait(false);
        int complete = 0, incomplete = 0, inProgress = 0, rowsWithGaps = 0, filesBad = 0;
        long dropped = 0, bytes = 0;
        TimeSpan maxDrift = TimeSpan.Zero;
        var durations = new List<double>();
        foreach (RecordingMetadata r in rows)
        {
            switch (r.Status)
            {
                case RecordingStatus.Complete: complete++; break;
                case RecordingStatus.Incomplete: incomplete++; break;
                default: inProgress++; break;
            }

            dropped += r.DroppedPackets;
            if (r.EndedAt is not { } ended || r.Duration is not { } duration || r.FileSize is not { } size ||
                r.CiphertextSha256 is not { } sha || r.KeyId is null || r.FilePath is not { } path)
            {
                rowsWithGaps++;
                Note(problems, $"recording {r.Id:N}: row not finished (status {r.Status}, ended {r.EndedAt}, size {r.FileSize})");
                continue;
            }

            bytes += size;
            durations.Add(duration.TotalSeconds);
            TimeSpan drift = (duration - (ended - r.StartedAt)).Duration();
            maxDrift = drift > maxDrift ? drift : maxDrift;
            if (!File.Exists(path) || new FileInfo(path).Length != size || await Sha256HexAsync(path, cancel).ConfigureAwait(false) != sha)
            {
                filesBad++;
                Note(problems, $"recording {r.Id:N}: file {path} missing or not the size/SHA-256 in its row");
            }
        }

        long spoolBytes = Directory.Exists(spoolDirectory)
            ? Directory.EnumerateFiles(spoolDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;
        int spoolFiles = Directory.Exists(spoolDirectory) ? Directory.EnumerateFiles(spoolDirectory, "*.ogg.enc", SearchOption.AllDirectories).Count() : 0;

        // A spread sample (first, last and evenly between, by start time) through the real CLI.
        int valid = 0;
        var sampled = rows.Where(r => r.FilePath is not null).OrderBy(r => r.StartedAt).ToList();
        int take = Math.Min(samples, sampled.Count);
        Directory.CreateDirectory(exportDirectory);

        // A download is a dpo's, within a data-subject request: the OS user becomes one (the
        // store's first user, so the CLI lets the OS user who can write the store add it).
        if (take > 0)
        {
            (int added, string addText) = await RunAsync(exe, ["users", "add", Environment.UserName, "--role", "dpo", "--config", config], masterKeyHex, "load-harness-check\n").ConfigureAwait(false);
            if (added != 0)
            {
                Note(problems, $"users add {Environment.UserName} --role dpo failed ({added}): {addText.Trim()}");
            }
        }

        for (int i = 0; i < take; i++)
        {
            RecordingMetadata r = sampled[take == 1 ? 0 : (int)((long)i * (sampled.Count - 1) / (take - 1))];
            string ogg = Path.Combine(exportDirectory, r.Id.ToString("N") + ".ogg");
            (int code, string text) = await RunAsync(exe, ["recordings", "export", r.Id.ToString("N"), "--out", ogg, "--request", "load-harness", "--config", config], masterKeyHex).ConfigureAwait(false);
            if (code != 0)
            {
                Note(problems, $"export of {r.Id:N} failed ({code}): {text.Trim()}");
                continue;
            }

            (int opusinfo, string info) = await RunAsync("opusinfo", [ogg], null).ConfigureAwait(false);
            (int ffprobe, string probe) = await RunAsync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,channels:format=duration", "-of", "compact=p=0:nk=1", ogg], null).ConfigureAwait(false);
            bool stereoOpus = probe.Contains("opus|2", StringComparison.Ordinal);
            double? probed = ProbedSeconds(probe);
            bool lengthMatches = probed is { } s && r.Duration is { } d && Math.Abs(s - d.TotalSeconds) <= MaxDrift.TotalSeconds;
            if (opusinfo == 0 && !info.Contains("WARNING", StringComparison.OrdinalIgnoreCase) && ffprobe == 0 && stereoOpus && lengthMatches)
            {
                valid++;
            }
            else
            {
                Note(problems, $"export {r.Id:N}: opusinfo {opusinfo}{(info.Contains("WARNING", StringComparison.OrdinalIgnoreCase) ? " (warnings)" : string.Empty)}, ffprobe {ffprobe} '{probe.Trim().ReplaceLineEndings(" ")}', row {r.Duration?.TotalSeconds:F2} s");
            }
        }

        durations.Sort();
        (int callRows, string calls) = await CallRowsAsync(dataDirectory, cancel).ConfigureAwait(false);
        if (rows.Count < callRows)
        {
            Note(problems, $"{callRows - rows.Count} call(s) without a recording row; calls by end reason and recorded flag: {calls}");
        }

        return new RecordingFigures
        {
            CallRows = callRows,
            CallsByEnd = calls,
            Rows = rows.Count,
            Complete = complete,
            Incomplete = incomplete,
            InProgress = inProgress,
            RowsNotFinished = rowsWithGaps,
            FilesBad = filesBad,
            DroppedPackets = dropped,
            StoredBytes = bytes,
            SpoolBytes = spoolBytes,
            SpoolFiles = spoolFiles,
            MaxDurationDrift = maxDrift,
            MedianDurationSeconds = durations.Count == 0 ? double.NaN : durations[durations.Count / 2],
            Sampled = take,
            SamplesValid = valid,
            Problems = problems,
        };
    }

    private static async Task<List<RecordingMetadata>> ReadAllAsync(string dataDirectory, CancellationToken cancel)
    {
        var rows = new List<RecordingMetadata>();
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = dataDirectory });
        // The harness's campaign only: a backlog beside it (--backlog) is the sidecar's business.
        RecordingQuery? page = new() { PageSize = RecordingQuery.MaxPageSize, CampaignId = "load" };
        while (page is not null)
        {
            RecordingPage result = await store.SearchRecordingsAsync(page, cancel).ConfigureAwait(false);
            rows.AddRange(result.Items);
            page = result.NextQuery(page);
        }

        return rows;
    }

    /// <summary>The call rows (read-only, straight from SQLite: the store has no listing of calls).</summary>
    private static async Task<(int Count, string ByEndReason)> CallRowsAsync(string dataDirectory, CancellationToken cancel)
    {
        string path = new SqliteMetadataStoreOptions { DataDirectory = dataDirectory }.DatabasePath;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(cancel).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(end_reason, '-'), recorded, count(*) FROM calls WHERE campaign_id IS NOT 'backlog' GROUP BY 1, 2 ORDER BY 3 DESC";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
        int total = 0;
        var parts = new List<string>();
        while (await reader.ReadAsync(cancel).ConfigureAwait(false))
        {
            int count = reader.GetInt32(2);
            total += count;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)}{(reader.GetInt32(1) == 1 ? " recorded" : " unrecorded")} {count}"));
        }

        return (total, string.Join(", ", parts));
    }

    private static async Task<string> Sha256HexAsync(string path, CancellationToken cancel)
    {
        await using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancel).ConfigureAwait(false));
    }

    private static double? ProbedSeconds(string probe)
    {
        foreach (string line in probe.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                return seconds;
            }
        }

        return null;
    }

    private static void Note(List<string> problems, string problem)
    {
        // The first few say what is wrong; a thousand identical lines would not.
        if (problems.Count < 20)
        {
            problems.Add(problem);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, string? masterKeyHex, string? input = null)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        if (masterKeyHex is not null)
        {
            psi.Environment[MasterKeyVariable] = masterKeyHex;
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{fileName} did not start");
        if (input is not null)
        {
            await p.StandardInput.WriteAsync(input).ConfigureAwait(false);
            p.StandardInput.Close();
        }

        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"{fileName} did not finish within 60 s");
        }

        return (p.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }

    /// <summary>Where the switch and the CLI read the master key from.</summary>
    public const string MasterKeyVariable = CallSwitch.Recording.Vault.MasterKeySource.EnvironmentVariable;
}
