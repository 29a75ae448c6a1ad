using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Net;
using CallSwitch.Calls.Auth;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Core;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Server.Api;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Logging;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// One running switch: its SIP listeners, transport and transaction layers, authenticator,
/// registrar and core, built from a configuration. Start, then dispose to stop.
/// </summary>
public sealed class SwitchHost : IAsyncDisposable
{
    private readonly List<ISipChannel> _channels = [];
    private readonly ILogger _log;
    private readonly AgentCredentialStore _credentials;
    private SwitchConfig _config;

    private readonly MediaRelay _relay;
    private readonly MediaClock _clock;

    private readonly RoutingHolder _routing;
    private readonly TimeProvider _time;

    private SwitchHost(SwitchConfig config, ILogger log, TimeProvider time, CallSetup calls, RoutingHolder routing)
    {
        _routing = routing;
        _time = time;
        _config = config;
        _log = log;
        _relay = new MediaRelay(calls.Relay, time);
        _clock = new MediaClock(time);
        _clock.SourceFailed += (_, e) => log.Error(e, "An announcement source failed");
        Registrar = new Registrar(SwitchConfigMapper.ToRegistrarSettings(config.Registrar), time);
        _credentials = new AgentCredentialStore(SwitchConfigMapper.ToAgentDirectory(config.Agents));
        var digest = new DigestServer(
            new DigestServerOptions
            {
                Realm = config.Realm,
                NonceLifetime = TimeSpan.FromSeconds(config.Auth.NonceLifetimeSeconds),
                Algorithms = SwitchConfigMapper.ToDigestAlgorithms(config.Auth.Algorithms),
            },
            time);
        var limiter = new AuthFailureLimiter(
            new AuthFailureLimiterOptions
            {
                MaxFailures = config.Auth.MaxFailures,
                Window = TimeSpan.FromSeconds(config.Auth.FailureWindowSeconds),
                BlockDuration = TimeSpan.FromSeconds(config.Auth.BlockSeconds),
            },
            time);

        foreach (ListenConfig listen in config.Listen)
        {
            var endPoint = new IPEndPoint(listen.Address, listen.Port);
            _channels.Add(SwitchConfigMapper.ToSipProtocol(listen.Protocol) switch
            {
                SipProtocol.Udp => new UdpChannel(endPoint),
                SipProtocol.Tcp => new TcpChannel(endPoint),
                _ => throw new NotSupportedException($"{listen.Protocol} listeners are not available yet."),
            });
        }

        Transport = new SipTransportLayer(_channels, SwitchConfigMapper.ToParserLimits(config.Limits), new TransportLogObserver(log));
        var core = new DeferredTransactionUser();
        Transactions = new SipTransactionLayer(Transport, core, time);
        Calls = new CallRegistry();
        SupervisionService? supervision = null;
        if (calls.Vault is { } vault)
        {
            Recordings = new RecordingService(vault, time);
        }
        else
        {
            log.Information("Recording is not set up: no call is recorded");
        }

        if (calls.DataPath is { } data)
        {
            Directory.CreateDirectory(data);
            var store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions
            {
                DataDirectory = data,
                Time = time,
                BackgroundWriteFailed = (what, e) => log.Error("Metadata write failed ({What}): {Error}", what, e.Message),
            });
            Archive = new CallArchive(store, Calls, Recordings, time, log);

            // Supervision needs its audit log: without a data folder it is refused.
            supervision = new SupervisionService(new TeamSupervisionPolicy(() => _credentials.Directory), new SupervisionAudit(store, time, log), time, config.Supervision.NotifyAgent);
            log.Information("Call metadata in {Database} (schema {Version})", store.DatabasePath, store.SchemaVersion);
        }
        else
        {
            log.Information("No data folder: calls and recordings are not stored");
        }

        Control = new CallControl(Calls, supervision);

        var context = new CallContext
        {
            Transactions = Transactions,
            Transport = Transport,
            Relay = _relay,
            Clock = _clock,
            MediaAddress = calls.MediaAddress,
            Listener = ListenerFor,
            Registry = Calls,
            Time = time,
            Log = log,
            ServerName = config.UserAgent,
            RtpTimeout = calls.RtpTimeout,
            Recording = Recordings,
        };
        var router = new CallRouter(calls.Routing, Registrar, calls.Normalize, Calls, ListenerFor);
        Core = new SwitchCore(new AgentAuthenticator(digest, limiter, _credentials, log, config.Auth.Md5OnlyUserAgents), Registrar, config.UserAgent, log, router, context);
        Core.EnableSupervision(new SupervisorCalls(context, Control, config.Supervision));
        core.Target = Core;
    }

    /// <summary>The live calls.</summary>
    public CallRegistry Calls { get; }

    /// <summary>What the API (and anything else outside the call machinery) may see and do of the live calls.</summary>
    public ICallControl Control { get; }

    /// <summary>The recording service (subscribe to its Finished event to persist metadata); null when recording is not set up.</summary>
    public RecordingService? Recordings { get; }

    /// <summary>Where ended calls and their recordings are stored; null when no data folder is set up.</summary>
    public CallArchive? Archive { get; }

    /// <summary>The configuration in force; a reload swaps it (see <see cref="Apply"/>).</summary>
    public SwitchConfig Config => Volatile.Read(ref _config);

    /// <summary>The HTTP API, once <see cref="StartApiAsync"/> has started it; null without an 'api' section.</summary>
    public ApiHost? Api { get; private set; }

    /// <summary>The registrar (bindings are queryable by the rest of the switch).</summary>
    public Registrar Registrar { get; }

    /// <summary>The transaction user.</summary>
    public SwitchCore Core { get; }

    /// <summary>The transport layer.</summary>
    public SipTransportLayer Transport { get; }

    /// <summary>The transaction layer.</summary>
    public SipTransactionLayer Transactions { get; }

    /// <summary>The end points actually listened on (real ports when 0 was configured).</summary>
    public IReadOnlyList<(SipProtocol Protocol, IPEndPoint EndPoint)> Listeners =>
        _channels.Select(c => (c.Protocol, c.LocalEndPoint)).ToArray();

    /// <summary>Builds and starts a switch.</summary>
    /// <remarks>Without <paramref name="calls"/>, calls run with what the configuration says (its media range, trunks, campaigns).</remarks>
    public static SwitchHost Start(SwitchConfig config, ILogger log, TimeProvider? time = null, CallSetup? calls = null)
    {
        var routing = new RoutingHolder(calls is null ? CallSetupBuilder.BuildRouting(config) : null);
        var host = new SwitchHost(config, log, time ?? TimeProvider.System, calls ?? CallSetupBuilder.Build(config, routing.Get, log), routing);
        if (host.Archive is { } archive)
        {
            // Before any call: what an earlier run left in progress (a crash) is repaired and closed.
            StartupRecovery.RunAsync(archive.Store, host.Recordings?.Vault, log).GetAwaiter().GetResult();
        }

        host._clock.Start();
        host.Transport.Start(host.Transactions);
        foreach (var (protocol, endPoint) in host.Listeners)
        {
            log.Information("Listening for SIP on {Protocol} {EndPoint}", protocol.ToString().ToUpperInvariant(), endPoint);
        }

        return host;
    }

    /// <summary>Starts the HTTP API when the configuration has an 'api' section; its clients follow reloads.</summary>
    /// <exception cref="IOException">Its address cannot be bound.</exception>
    public async Task StartApiAsync()
    {
        if (Config.Api is not null && Api is null)
        {
            Api = await ApiHost.StartAsync(() => Config.Api, Control, _time, _log).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Swaps in a reloaded configuration: the agent directory (new registrations and
    /// authentications use it at once; calls in progress are not touched) and the snapshot that
    /// campaign, trunk and inbound lookups read. Sections fixed at start must already hold their
    /// running values (<see cref="LiveConfigChanges.Merge"/>).
    /// </summary>
    public void Apply(SwitchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (_routing.Current is { } current)
        {
            try
            {
                // Calls in progress keep the plan they started with; new calls use the new table.
                _routing.Current = CallSetupBuilder.BuildRouting(config, current);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException or AnnouncementLoadException)
            {
                _log.Error("Reloaded configuration not applied: {Error}; the running configuration stays", e.Message);
                return;
            }
        }

        _credentials.Directory = SwitchConfigMapper.ToAgentDirectory(config.Agents);
        Volatile.Write(ref _config, config);
    }



    /// <summary>
    /// Runs a switch until <paramref name="stop"/> is cancelled; returns the exit code. With a
    /// <paramref name="path"/>, the file is watched and reloaded on change and on SIGHUP.
    /// </summary>
    public static async Task<int> RunAsync(SwitchConfig config, string? path, TextWriter output, CancellationToken stop)
    {
        string configName = path ?? EmbeddedConfig.Name;
        var log = LogSetup.Create(config.Logging, output);
        SwitchHost host;
        try
        {
            host = Start(config, log);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or SipTransportException or FormatException or IOException or UnauthorizedAccessException
            or CallSwitch.Compliance.Storage.MetadataSchemaException or Microsoft.Data.Sqlite.SqliteException)
        {
            // FormatException: a master key that is not one (CALLSWITCH_MASTER_KEY or the key file).
            log.Fatal("Cannot start: {Error}", e.Message);
            (log as IDisposable)?.Dispose();
            return 1;
        }

        try
        {
            await host.StartApiAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            log.Fatal("Cannot start the HTTP API: {Error}", e.Message);
            await host.DisposeAsync().ConfigureAwait(false);
            (log as IDisposable)?.Dispose();
            return 1;
        }

        log.Information(
            "CallSwitch started with {Config}: realm {Realm}, {Agents} agent(s), {Trunks} trunk(s), {Campaigns} campaign(s)",
            configName,
            config.Realm,
            config.Agents.Count,
            config.Trunks.Count,
            config.Campaigns.Count);
        LogOpusChoice(log, config, host.Recordings?.Encoder ?? new CallSwitch.Recording.Opus.StereoOpusEncoderOptions());
        ConfigWatcher? watcher = path is null ? null : new ConfigWatcher(path, config, log);
        if (watcher is not null)
        {
            watcher.Changed += (_, e) => host.Apply(e.Current);
            watcher.Start();
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        log.Information("CallSwitch stopping");
        watcher?.Dispose();
        int code = 0;
        try
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Said and counted in the exit code, never an abort: what could be closed was.
            log.Error(e, "Stopping did not finish cleanly");
            code = 1;
        }

        (log as IDisposable)?.Dispose();
        return code;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync().ConfigureAwait(false);
        }

        B2buaCall[] live = [.. Calls.Calls];
        try
        {
            await Task.WhenAll(live.Select(c => c.HangUpAsync(CallEnd.ShutDown))).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Go on stopping: the store must still be flushed and closed for the calls that did end.
            string[] left = [.. live.Where(c => !c.Completion.IsCompleted).Select(c => c.Id)];
            _log.Error("{Count} call(s) did not end within 5 s of the shutdown: {Calls}; stopping anyway", left.Length, string.Join(", ", left));
        }

        _clock.Dispose();
        await Transport.DisposeAsync().ConfigureAwait(false);
        _relay.Dispose();
        if (Archive is not null)
        {
            await Archive.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Recordings are encoded with the native libopus, chosen explicitly (Concentus would
    /// otherwise fall back silently to its slower managed encoder): say which one runs, and
    /// warn at start, not at the first recorded call, when it cannot load.
    /// </summary>
    private static void LogOpusChoice(ILogger log, SwitchConfig config, CallSwitch.Recording.Opus.StereoOpusEncoderOptions encoder)
    {
        bool records = config.Campaigns.Any(c => c.Recording.Mode != RecordingMode.Never);
        if (CallSwitch.Recording.Opus.StereoOpusEncoder.IsNativeAvailable(out string probe))
        {
            log.Information(
                "Recordings are encoded with native libopus (Concentus set to native, no managed fallback): CELT, stereo forced, {Bitrate} bit/s, complexity {Complexity}, 8 kHz input when both parties are narrowband, else 16 kHz",
                encoder.Bitrate,
                encoder.Complexity);
            log.Debug("libopus probe: {Probe}", probe.ReplaceLineEndings("; "));
        }
        else if (records)
        {
            log.Warning("Native libopus cannot be loaded: recordings will fail until it is installed (apt-get install libopus-dev); probe: {Probe}", probe.ReplaceLineEndings("; "));
        }
    }

    private IPEndPoint ListenerFor(SipProtocol protocol) =>
        _channels.FirstOrDefault(c => c.Protocol == protocol)?.LocalEndPoint
        ?? _channels[0].LocalEndPoint;
}
