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

    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public static int FreeTcpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
