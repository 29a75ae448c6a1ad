using System.Diagnostics;
using System.Globalization;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Vault;
using Microsoft.Data.Sqlite;
using Serilog.Core;

namespace CallSwitch.Benchmarks.Requests;

/// <summary>
/// A generated store for the data-subject request benchmarks: 3,000,000 calls and 1,000,000
/// recordings over 1,000,000 numbers (three calls and one recording each), plus
/// <see cref="HeavyNumbers"/> numbers with 50 calls and 50 recordings each whose recordings have
/// a real wrapped key and a file in the spool (what an erasure destroys). Built once, with the
/// production schema (migrations), then reused: the folder is kept between runs.
/// </summary>
internal static class RequestStore
{
    public const int Numbers = 1_000_000;
    public const int CallsPerNumber = 3;
    public const int HeavyNumbers = 200;
    public const int HeavyRecordings = 50;

    private const string Ready = "generated.ok";

    /// <summary>The folder: <c>CALLSWITCH_BENCH_REQUESTS</c>, or a folder under the temporary directory.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("CALLSWITCH_BENCH_REQUESTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "callswitch-bench-requests");

    public static string Data => Path.Combine(Folder, "data");

    public static string Spool => Path.Combine(Folder, "spool");

    /// <summary>The ordinary number <paramref name="i"/> (0 ≤ i &lt; <see cref="Numbers"/>).</summary>
    public static string Ordinary(int i) => "+3361" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The heavy number <paramref name="i"/> (50 calls, 50 recordings).</summary>
    public static string Heavy(int i) => "+3373" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>Builds the store unless a complete one is there.</summary>
    public static void EnsureGenerated(TextWriter log)
    {
        if (File.Exists(Path.Combine(Folder, Ready)))
        {
            return;
        }

        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Data);
        using RecordingVault vault = RecordingVault.Open(Data, Spool, Logger.None);
        SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data }).DisposeAsync().AsTask().GetAwaiter().GetResult();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(Data, SqliteMetadataStoreOptions.DefaultFileName) }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA synchronous = OFF");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var writer = new RowWriter(connection);
        for (int n = 0; n < Numbers; n++)
        {
            for (int c = 0; c < CallsPerNumber; c++)
            {
                long k = ((long)c * Numbers) + n;
                DateTimeOffset at = start.AddSeconds(k * 10);
                string callId = "call-" + k.ToString(CultureInfo.InvariantCulture);
                writer.Call(callId, Ordinary(n), at, recorded: c == 0);
                if (c == 0)
                {
                    writer.Recording(Guid.CreateVersion7(at), callId, Ordinary(n), at, null, null, pause: false);
                }
            }

            writer.CommitEvery(20_000);
            if (n % 200_000 == 0)
            {
                log.WriteLine($"RequestStore: {n:N0} numbers written ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }

        for (int h = 0; h < HeavyNumbers; h++)
        {
            for (int r = 0; r < HeavyRecordings; r++)
            {
                DateTimeOffset at = start.AddDays(r).AddMinutes(h);
                string callId = $"heavy-{h}-{r}";
                Guid id = Guid.CreateVersion7(at);
                using var key = vault.Keys.CreateDataKey();
                string file = vault.PathFor(at, id.ToString("N"));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, new byte[4096]);
                writer.Call(callId, Heavy(h), at, recorded: true);
                writer.Recording(id, callId, Heavy(h), at, key.Id, file, pause: true);
            }

            writer.CommitEvery(1);
        }

        writer.Commit();
        Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        Exec(connection, "ANALYZE");
        File.WriteAllText(Path.Combine(Folder, Ready), DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        log.WriteLine($"RequestStore: generated in {clock.Elapsed.TotalSeconds:F0} s at {Folder}");
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
