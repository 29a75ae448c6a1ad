using System.Diagnostics;
using System.Net;

namespace CallSwitch.TestSupport.Peers;

/// <summary>
/// Runs the real SIPp (Debian package sip-tester) against a server on loopback. SIPp missing
/// is a test failure, never a skip. Each run gets its own SIP, control and media ports and a
/// hard time limit, and the process is killed when the limit passes.
/// </summary>
public static class Sipp
{
    /// <summary>
    /// Runs one scenario (XML text with <c>{{NAME}}</c> placeholders replaced from
    /// <paramref name="values"/>) for <paramref name="calls"/> calls against <paramref name="server"/>.
    /// Cancelling <paramref name="cancellationToken"/> kills SIPp (its result is then returned as is).
    /// </summary>
    public static async Task<SippResult> RunAsync(
        string scenarioXml,
        IPEndPoint server,
        bool tcp,
        IReadOnlyDictionary<string, string>? values = null,
        int calls = 1,
        TimeSpan? timeLimit = null,
        int? localPort = null,
        CancellationToken cancellationToken = default,
        params string[] extraArgs)
    {
        string binary = ExternalTools.Find("sipp", "sip-tester");
        string dir = Directory.CreateTempSubdirectory("sipp-").FullName;
        try
        {
            foreach (var (key, value) in values ?? new Dictionary<string, string>())
            {
                scenarioXml = scenarioXml.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
            }

            string scenario = Path.Combine(dir, "scenario.xml");
            await File.WriteAllTextAsync(scenario, scenarioXml).ConfigureAwait(false);
            string errors = Path.Combine(dir, "errors.log");
            string messages = Path.Combine(dir, "messages.log");
            TimeSpan limit = timeLimit ?? TimeSpan.FromSeconds(30);
            string local = server.Address.ToString();

            var psi = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                UseShellExecute = false,
                WorkingDirectory = dir,
            };
            foreach (string arg in new[]
            {
                server.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{server.Address}]:{server.Port}" : $"{server.Address}:{server.Port}",
                "-sf", scenario,
                "-m", calls.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-i", local,
                "-p", (localPort ?? FreePorts.Next(server.Address)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-cp", FreePorts.Next(server.Address).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-mp", FreePorts.NextBlock(4, server.Address).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-t", tcp ? "t1" : "u1",
                "-nostdin",
                "-timeout", ((int)limit.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "s",
                "-timeout_error",
                "-trace_err", "-error_file", errors,
                "-trace_msg", "-message_file", messages,
            }.Concat(extraArgs))
            {
                psi.ArgumentList.Add(arg);
            }

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("sipp did not start");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(limit + TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            string output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
            return new SippResult(
                process.ExitCode,
                output.Length > 4000 ? output[^4000..] : output,
                File.Exists(errors) ? await File.ReadAllTextAsync(errors).ConfigureAwait(false) : string.Empty,
                File.Exists(messages) ? await File.ReadAllTextAsync(messages).ConfigureAwait(false) : string.Empty);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
