using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CallSwitch.TestSupport.Peers;

/// <summary>
/// Runs the real Linphone softphone's console (Debian package linphone-cli: <c>linphonec</c>) with
/// one account, on loopback, driven through its command prompt. Each instance gets a throw-away
/// folder (its configuration, its HOME for the call-history database, its log with the SIP trace),
/// free SIP and RTP ports, and plays a WAV file as its microphone (<c>soundcard use files</c>),
/// recording what it hears to another. The process is killed after
/// <see cref="LinphoneOptions.TimeLimit"/> in any case, and in <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// linphonec 5.1 needs its call-history database folder (<c>$HOME/.local/share/linphone</c>) to
/// exist: without it the core never reaches its "on" state, opens no listening port (its REGISTER
/// fails with "no listening point") and answers every INVITE 503.
/// </remarks>
public sealed partial class Linphone : IAsyncDisposable
{
    private const int OutputLimit = 256 * 1024;

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly CancellationTokenSource _stop;
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Linphone(Process process, string folder, int sipPort, int rtpPort, TimeSpan timeLimit)
    {
        _process = process;
        _folder = folder;
        SipPort = sipPort;
        RtpPort = rtpPort;
        _stop = new CancellationTokenSource(timeLimit);
    }

    /// <summary>The port linphonec's SIP stack listens on (UDP, or TCP with <see cref="LinphoneOptions.Tcp"/>).</summary>
    public int SipPort { get; }

    /// <summary>The audio RTP port written in its SDP.</summary>
    public int RtpPort { get; }

    /// <summary>What linphonec printed on its console so far (the last 256 KB).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Its log (debug level 5: the SIP messages it sent and received, whole), or what could be read of it.</summary>
    public string SipLog
    {
        get
        {
            try
            {
                using var stream = new FileStream(Path.Combine(_folder, "linphone.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
            catch (IOException e)
            {
                return "(no log: " + e.Message + ")";
            }
        }
    }

    /// <summary>
    /// Writes the configuration, starts linphonec and sets it up (SIP port, file sound card,
    /// microphone file, recording file, auto-answer). Fails, naming the package, when linphonec is missing.
    /// </summary>
    public static async Task<Linphone> StartAsync(LinphoneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string binary = ExternalTools.Find("linphonec", "linphone-cli");
        if (!File.Exists(options.AudioSource))
        {
            throw new FileNotFoundException("linphonec's audio source does not exist", options.AudioSource);
        }

        string folder = Directory.CreateTempSubdirectory("linphone-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, ".local", "share", "linphone"));
        int sipPort = FreePorts.Next();
        // RTP on an even port, RTCP on the next one.
        int block = FreePorts.NextBlock(3);
        int rtpPort = block + (block % 2);
        string config = Path.Combine(folder, "linphonerc");
        await File.WriteAllTextAsync(config, Config(options, sipPort, rtpPort)).ConfigureAwait(false);

        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        psi.Environment["HOME"] = folder;
        foreach (string argument in new[] { "-c", config, "-d", "5", "-l", Path.Combine(folder, "linphone.log") })
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("linphonec did not start");
        var phone = new Linphone(process, folder, sipPort, rtpPort, options.TimeLimit);
        process.OutputDataReceived += (_, e) => phone.Append(e.Data);
        process.ErrorDataReceived += (_, e) => phone.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        phone._stop.Token.Register(phone.Kill);
        try
        {
            await phone.CommandAsync("soundcard use files").ConfigureAwait(false);
            await phone.WaitForOutputAsync(UsingFiles(), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await phone.CommandAsync("play " + options.AudioSource).ConfigureAwait(false);
            if (options.HeardFile is not null)
            {
                await phone.CommandAsync("record " + options.HeardFile).ConfigureAwait(false);
            }

            if (options.AutoAnswer)
            {
                await phone.CommandAsync("autoanswer enable").ConfigureAwait(false);
                await phone.WaitForOutputAsync(AutoAnswerOn(), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        catch
        {
            await phone.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return phone;
    }

    /// <summary>Types <paramref name="command"/> at linphonec's prompt.</summary>
    public async Task CommandAsync(string command)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"linphonec exited (code {_process.ExitCode}) before '{command}'\n{this}");
        }

        await _process.StandardInput.WriteLineAsync(command).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Calls <paramref name="target"/> (a SIP URI).</summary>
    public Task CallAsync(string target) => CommandAsync("call " + target);

    /// <summary>Hangs up the current call.</summary>
    public Task HangUpAsync() => CommandAsync("terminate");

    /// <summary>The first console line (printed earlier or later) matching <paramref name="pattern"/>; fails with the output after <paramref name="timeout"/> or if linphonec exits.</summary>
    public Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return PeerWait.UntilAsync(
            () =>
            {
                lock (_output)
                {
                    Match match = pattern.Match(_output.ToString());
                    return (match.Success ? match : null, _lineArrived.Task);
                }
            },
            _process,
            ($"linphonec exited before printing /{pattern}/", $"linphonec printed no /{pattern}/"),
            timeout,
            ToString);
    }

    /// <summary>The console output and the end of the SIP log, for an assertion message.</summary>
    public override string ToString()
    {
        string log = SipLog;
        return "--- linphonec console ---\n" + Output + "\n--- linphonec log (end) ---\n" + (log.Length > 20000 ? log[^20000..] : log);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await CommandAsync("quit").ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Gone already: killed below.
            }
        }

        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(exit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

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

    private static string Config(LinphoneOptions options, int sipPort, int rtpPort)
    {
        string server = options.Server.ToString();
        string transport = options.Tcp ? "tcp" : "udp";
        string port = sipPort.ToString(CultureInfo.InvariantCulture);

        // A port of 0 disables the transport.
        return string.Join('\n', [
            "[sip]",
            "sip_port=" + (options.Tcp ? "0" : port),
            "sip_tcp_port=" + (options.Tcp ? port : "0"),
            "sip_tls_port=0",
            "default_proxy=0",
            "register_only_when_network_is_up=0",
            "[rtp]",
            "audio_rtp_port=" + rtpPort.ToString(CultureInfo.InvariantCulture),
            "[sound]",
            "echocancellation=0",
            "[proxy_0]",
            $"reg_proxy=<sip:{server};transport={transport}>",
            $"reg_identity=\"Agent {options.User}\" <sip:{options.User}@{options.Server.Address}>",
            "reg_expires=" + options.RegisterSeconds.ToString(CultureInfo.InvariantCulture),
            "reg_sendregister=1",
            "publish=0",
            "dial_escape_plus=0",
            "[auth_info_0]",
            "username=" + options.User,
            "userid=" + options.User,
            "passwd=" + options.Password,
            "realm=callswitch",
            string.Empty,
        ]);
    }

    [GeneratedRegex("Using wav files instead of soundcard")]
    private static partial Regex UsingFiles();

    [GeneratedRegex("Auto answer enabled", RegexOptions.IgnoreCase)]
    private static partial Regex AutoAnswerOn();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource arrived;
        lock (_output)
        {
            _output.Append(line).Append('\n');
            if (_output.Length > OutputLimit)
            {
                _output.Remove(0, _output.Length - OutputLimit);
            }

            arrived = _lineArrived;
            _lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
