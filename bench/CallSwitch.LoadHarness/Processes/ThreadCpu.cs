using System.Globalization;

namespace CallSwitch.LoadHarness.Processes;

/// <summary>
/// CPU time of each thread of a process, from /proc/PID/task/TID/stat (utime + stime, in
/// clock ticks of 10 ms). Two snapshots give a coarse profile by thread name: .NET names its
/// OS threads (".NET TP Worker", ".NET SynchManager", the relay's own names…).
/// </summary>
internal static class ThreadCpu
{
    private const double MsPerTick = 10;

    public static Dictionary<int, (string Name, long Ticks)> Snapshot(int pid)
    {
        var result = new Dictionary<int, (string, long)>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    int open = stat.IndexOf('(', StringComparison.Ordinal);
                    int close = stat.LastIndexOf(')');
                    string name = stat[(open + 1)..close];
                    string[] fields = stat[(close + 2)..].Split(' ');
                    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
                    long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    result[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, ticks);
                }
                catch (IOException)
                {
                    // The thread ended between listing and reading.
                }
            }
        }
        catch (IOException)
        {
            // The process ended.
        }

        return result;
    }

    /// <summary>CPU ms per thread name between two snapshots (threads of one name summed), largest first.</summary>
    public static IReadOnlyList<(string Name, int Threads, double Ms)> Between(
        Dictionary<int, (string Name, long Ticks)> from, Dictionary<int, (string Name, long Ticks)> to) =>
        to.Select(t => (t.Value.Name, Ticks: t.Value.Ticks - (from.TryGetValue(t.Key, out var f) ? f.Ticks : 0)))
            .GroupBy(t => t.Name)
            .Select(g => (g.Key, g.Count(), g.Sum(t => t.Ticks) * MsPerTick))
            .Where(g => g.Item3 > 0)
            .OrderByDescending(g => g.Item3)
            .ToList();
}
