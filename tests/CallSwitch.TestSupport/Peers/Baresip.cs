using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallSwitch.TestSupport.Peers;

/// <summary>
/// Runs the real baresip softphone (Debian package baresip) with one account, on loopback.
/// Each instance gets a throw-away configuration folder (<c>baresip -f</c>; no home folder is
/// read), free SIP, RTP and control ports, a WAV file as its microphone (module aufile) and no
/// loudspeaker (no player module is loaded). The test drives it over the control interface
/// (module ctrl_tcp: netstring-framed JSON commands, responses and events). The process stops
/// after <see cref="BaresipOptions.TimeLimit"/> in any case, and its process tree is killed in
/// <see cref="DisposeAsync"/>. Its output (with the SIP trace) is kept for failure messages.
/// </summary>
public sealed partial class Baresip : IAsyncDisposable
{
    private const int OutputLimit = 256 * 1024;

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly List<BaresipEvent> _events = [];
    private readonly Dictionary<string, TaskCompletionSource<(bool Ok, string Data)>> _pending = [];
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpClient? _control;
    private Task _controlLoop = Task.CompletedTask;
    private int _token;

    private Baresip(Process process, string folder, int sipPort, int controlPort, TimeSpan timeLimit)
    {
        _process = process;
        _folder = folder;
        SipPort = sipPort;
        ControlPort = controlPort;
        _stop = new CancellationTokenSource(timeLimit);
    }

    /// <summary>The loopback port baresip's SIP stack listens on (UDP and TCP; TLS on the next one).</summary>
    public int SipPort { get; }

    /// <summary>The loopback port of its control interface.</summary>
    public int ControlPort { get; }

    /// <summary>What baresip printed so far (the last 256 KB, SIP trace included), without terminal colours.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return AnsiEscape().Replace(_output.ToString(), string.Empty);
            }
        }
    }

    /// <summary>A copy of the events received so far, in order.</summary>
    public IReadOnlyList<BaresipEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>
    /// Writes the configuration, starts baresip and, once it says it is ready, connects to its
    /// control interface. Fails (naming the package to install) when baresip is missing, and with
    /// its output when it does not come up within 10 s or its control interface cannot listen.
    /// </summary>
    public static async Task<Baresip> StartAsync(BaresipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string binary = ExternalTools.Find("baresip", "baresip");
        if (!File.Exists(options.AudioSource))
        {
            throw new FileNotFoundException("baresip's audio source does not exist", options.AudioSource);
        }

        string folder = Directory.CreateTempSubdirectory("baresip-").FullName;
        // baresip listens for SIP over UDP and TCP on its port, and over TLS on the next one.
        int sipPort = FreePorts.NextBlock(2);
        int controlPort = FreePorts.Next();
        // baresip picks an even RTP port in [min, max) and puts RTCP on the next one: four
        // free ports from an even first one.
        int block = FreePorts.NextBlock(5);
        int rtpFirst = block + (block % 2);
        await File.WriteAllTextAsync(Path.Combine(folder, "config"), Config(options, sipPort, controlPort, rtpFirst)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "accounts"), Account(options) + "\n").ConfigureAwait(false);

        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (string argument in new[]
        {
            "-f", folder,
            "-s",
            "-t", ((int)Math.Ceiling(options.TimeLimit.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        })
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("baresip did not start");
        var baresip = new Baresip(process, folder, sipPort, controlPort, options.TimeLimit);
        process.OutputDataReceived += (_, e) => baresip.Append(e.Data);
        process.ErrorDataReceived += (_, e) => baresip.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        baresip._stop.Token.Register(baresip.Kill);
        try
        {
            await baresip.ConnectAsync().ConfigureAwait(false);
        }
        catch
        {
            await baresip.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return baresip;
    }

    /// <summary>Runs a command of the control interface (<c>dial</c>, <c>hangup</c>, <c>reginfo</c>, …); returns its text (without terminal colours), throws when baresip says it failed.</summary>
    public async Task<string> CommandAsync(string command, string? parameters = null)
    {
        string token = Interlocked.Increment(ref _token).ToString(CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<(bool Ok, string Data)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[token] = reply;
        }

        var message = new Dictionary<string, string> { ["command"] = command, ["token"] = token };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(message);
        byte[] frame = [.. Encoding.ASCII.GetBytes(json.Length.ToString(CultureInfo.InvariantCulture) + ":"), .. json, (byte)','];
        NetworkStream stream = _control?.GetStream() ?? throw new InvalidOperationException("baresip's control interface is not connected");
        await stream.WriteAsync(frame).ConfigureAwait(false);
        (bool ok, string data) = await Within(reply.Task, TimeSpan.FromSeconds(5), $"the reply to '{command}'").ConfigureAwait(false);
        if (!ok)
        {
            throw new InvalidOperationException($"baresip refused '{command} {parameters}': {data}\n{this}");
        }

        return AnsiEscape().Replace(data, string.Empty);
    }

    /// <summary>Calls <paramref name="target"/> (a number or user of the account's domain, or a SIP URI).</summary>
    public Task DialAsync(string target) => CommandAsync("dial", target);

    /// <summary>Hangs up the current call.</summary>
    public Task HangUpAsync() => CommandAsync("hangup");

    /// <summary>The first event of <paramref name="type"/> (received earlier or later); fails with the output after <paramref name="timeout"/> or if baresip exits.</summary>
    public Task<BaresipEvent> WaitForEventAsync(string type, TimeSpan timeout) =>
        PeerWait.UntilAsync(
            () =>
            {
                lock (_events)
                {
                    return (_events.FirstOrDefault(e => e.Type == type), _eventArrived.Task);
                }
            },
            _process,
            ($"baresip exited before {type}", $"baresip reported no {type}"),
            timeout,
            ToString);

    /// <summary>The events and output, for an assertion message.</summary>
    public override string ToString()
    {
        string output = Output;
        return "--- baresip events ---\n" + string.Join('\n', Events) +
            "\n--- baresip output ---\n" + (output.Length > 20000 ? output[^20000..] : output);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _process.WaitForExitAsync(exit.Token).ConfigureAwait(false);
        }

        _control?.Dispose();
        await _controlLoop.ConfigureAwait(false);

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static string Config(BaresipOptions options, int sipPort, int controlPort, int rtpFirst)
    {
        var config = new StringBuilder();
        void Line(string key, string value) => config.Append(key).Append('\t').Append(value).Append('\n');
        Line("poll_method", "epoll");
        Line("sip_listen", $"127.0.0.1:{sipPort}");
        // Media and Contact on loopback, not on the host's first interface.
        Line("net_interface", "127.0.0.1");
        Line("call_max_calls", "4");
        Line("audio_source", "aufile," + options.AudioSource);
        Line("rtp_ports", $"{rtpFirst}-{rtpFirst + 4}");
        Line("rtcp_mux", "no");
        Line("module_path", "/usr/lib/baresip/modules");
        Line("module", "g711.so");
        Line("module", "aufile.so");
        if (options.DumpFolder is not null)
        {
            Line("module", "sndfile.so");
            Line("snd_path", options.DumpFolder);
        }

        Line("module_tmp", "account.so");
        Line("module_app", "menu.so");
        Line("module_app", "ctrl_tcp.so");
        Line("ctrl_tcp_listen", $"127.0.0.1:{controlPort}");
        return config.ToString();
    }

    private static string Account(BaresipOptions options)
    {
        string server = options.Server.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Server.Address}]:{options.Server.Port}" : options.Server.ToString();
        return $"<sip:{options.User}@{server};transport=udp>;auth_pass={options.Password};regint={options.RegisterSeconds}" +
            (options.AutoAnswer ? ";answermode=auto" : ";answermode=manual");
    }

    private static async Task<T> Within<T>(Task<T> task, TimeSpan timeout, string what)
    {
        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"baresip: no {what} within {timeout.TotalSeconds:F0} s");
        }
    }

    private async Task ConnectAsync()
    {
        // Every module is loaded (ctrl_tcp listening, or its failure printed) once baresip says it is ready.
        Task exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(_ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != _ready.Task)
        {
            throw new TimeoutException($"baresip was not ready within 10 s{(_process.HasExited ? $" (exited, code {_process.ExitCode})" : string.Empty)}\n{this}");
        }

        if (Output.Contains("ctrl_tcp: failed", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"baresip's control interface could not listen on port {ControlPort}\n{this}");
        }

        var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, ControlPort).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            client.Dispose();
            throw new InvalidOperationException($"baresip's control interface on port {ControlPort}: {e.Message}\n{this}", e);
        }

        _control = client;
        _controlLoop = Task.Run(() => ReadControlAsync(client.GetStream()));
    }

    private async Task ReadControlAsync(NetworkStream stream)
    {
        var reader = new NetstringReader(stream);
        try
        {
            while (await reader.ReadAsync().ConfigureAwait(false) is { } json)
            {
                Receive(json);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidDataException or JsonException)
        {
            Append("(test) control interface closed: " + e.Message);
        }
    }

    private void Receive(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        if (BaresipEvent.TryRead(root, json) is { } e)
        {
            lock (_events)
            {
                _events.Add(e);
                _eventArrived.TrySetResult();
                _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        else if (root.TryGetProperty("response", out _) && root.TryGetProperty("token", out JsonElement token))
        {
            TaskCompletionSource<(bool, string)>? reply;
            lock (_pending)
            {
                _pending.Remove(token.GetString() ?? string.Empty, out reply);
            }

            bool ok = root.TryGetProperty("ok", out JsonElement okValue) && okValue.ValueKind == JsonValueKind.True;
            reply?.TrySetResult((ok, root.TryGetProperty("data", out JsonElement data) ? data.GetString() ?? string.Empty : string.Empty));
        }
    }

    private void Append(string? line)
    {
        // Not the call status line the menu redraws ten times a second ("[0:00:03] audio=0/0 (bit/s)").
        if (line is null || CallStatusLine().IsMatch(line))
        {
            return;
        }

        if (line.Contains("baresip is ready.", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
            if (_output.Length > OutputLimit)
            {
                _output.Remove(0, _output.Length - OutputLimit);
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    [GeneratedRegex(@"^\s*\[\d+:\d\d:\d\d\] audio=")]
    private static partial Regex CallStatusLine();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
