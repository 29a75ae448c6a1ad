using System.Globalization;

namespace CallSwitch.LoadHarness.Processes;

/// <summary>A process's thread count and resident set, from <c>/proc/PID/status</c>.</summary>
internal static class ProcStatus
{
    /// <summary>Threads and VmRSS in bytes; zeros when the process has ended.</summary>
    public static (int Threads, long RssBytes) Read(int pid)
    {
        int threads = 0;
        long rss = 0;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(parts[1], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process ended: no figures.
        }

        return (threads, rss);
    }
}
