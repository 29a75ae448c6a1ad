using System.Globalization;

namespace CallSwitch.LoadHarness.Processes;

/// <summary>Whole-machine CPU from /proc/stat, to show how busy the shared machine was.</summary>
internal readonly record struct SystemCpu(long BusyTicks, long TotalTicks)
{
    public static SystemCpu Read()
    {
        try
        {
            string first = File.ReadLines("/proc/stat").First();
            long[] fields = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            long idle = fields[3] + (fields.Length > 4 ? fields[4] : 0); // idle + iowait
            long total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
            return new SystemCpu(total - idle, total);
        }
        catch (IOException)
        {
            return default;
        }
    }

    /// <summary>Busy share of all cores between two readings, in % of the whole machine.</summary>
    public static double BusyPercent(SystemCpu from, SystemCpu to) =>
        to.TotalTicks == from.TotalTicks ? double.NaN : 100.0 * (to.BusyTicks - from.BusyTicks) / (to.TotalTicks - from.TotalTicks);
}
