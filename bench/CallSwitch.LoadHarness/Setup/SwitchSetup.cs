using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CallSwitch.LoadHarness.Setup;

/// <summary>What every kind of run does around the switch: free loopback ports, the config check, SIPp's error files.</summary>
internal static class SwitchSetup
{
    /// <summary>Runs <c>callswitch config check</c> on the run's config; its first line, or throws with its output.</summary>
    public static async Task<string> CheckConfigAsync(string exe, string config, string workingDirectory)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add("config");
        psi.ArgumentList.Add("check");
        psi.ArgumentList.Add(config);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{exe} did not start");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        string text = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"callswitch config check refused the harness's config ({config}):\n{text}");
        }

        return text.Trim().Split('\n')[0];
    }

    /// <summary>The first lines of each SIPp error file in the run's folder.</summary>
    public static void PrintSippErrors(string directory, TextWriter output)
    {
        foreach (string errors in Directory.EnumerateFiles(directory, "*-errors.log"))
        {
            output.WriteLine($"--- {Path.GetFileName(errors)} (first lines)");
            foreach (string line in File.ReadLines(errors).Take(20))
            {
                output.WriteLine(line);
            }
        }
    }

    /// <summary>The first of <paramref name="count"/> consecutive free UDP ports on loopback.</summary>
    public static int FreeUdpPorts(int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var held = new List<Socket>();
            try
            {
                int first = FreeUdpPort();
                for (int port = first; port < first + count && port <= IPEndPoint.MaxPort; port++)
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    held.Add(s);
                    s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }

                if (held.Count == count)
                {
                    return first;
                }
            }
            catch (SocketException)
            {
                // One of them is taken: try elsewhere.
            }
            finally
            {
                held.ForEach(s => s.Dispose());
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free UDP ports on loopback");
    }

    /// <summary>
    /// A UDP port free on loopback right now, from 15000–20999: below the relay's default range
    /// (21000 up) and the kernel's ephemeral range (32768 up), where the harness binds its
    /// thousands of RTP sockets. A port probed free in the ephemeral range could be taken by one
    /// of those before SIPp bound it (SIPp then exited "cannot bind" on its control port).
    /// </summary>
    public static int FreeUdpPort()
    {
        for (int attempt = 0; attempt < PortRangeEnd - PortRangeStart; attempt++)
        {
            int port = PortRangeStart + (int)((uint)Interlocked.Increment(ref _nextPort) % (PortRangeEnd - PortRangeStart));
            try
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: the next one.
            }
        }

        throw new InvalidOperationException($"no free UDP port on loopback in {PortRangeStart}-{PortRangeEnd - 1}");
    }

    private const int PortRangeStart = 15000;
    private const int PortRangeEnd = 21000;
    private static int _nextPort = (Environment.ProcessId % 60) * 100;

    public static int FreeTcpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
