using System.Net;
using CallSwitch.Calls.Auth;
using CallSwitch.Calls.Core;
using CallSwitch.Calls.Registration;
using CallSwitch.Compliance.Configuration;
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

    private SwitchHost(SwitchConfig config, ILogger log, TimeProvider time)
    {
        _config = config;
        _log = log;
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
        Core = new SwitchCore(new AgentAuthenticator(digest, limiter, _credentials, log), Registrar, config.UserAgent, log);

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
        Transactions = new SipTransactionLayer(Transport, Core, time);
    }

    /// <summary>The configuration in force; a reload swaps it (see <see cref="Apply"/>).</summary>
    public SwitchConfig Config => Volatile.Read(ref _config);

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
    public static SwitchHost Start(SwitchConfig config, ILogger log, TimeProvider? time = null)
    {
        var host = new SwitchHost(config, log, time ?? TimeProvider.System);
        host.Transport.Start(host.Transactions);
        foreach (var (protocol, endPoint) in host.Listeners)
        {
            log.Information("Listening for SIP on {Protocol} {EndPoint}", protocol.ToString().ToUpperInvariant(), endPoint);
        }

        return host;
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
        catch (Exception e) when (e is System.Net.Sockets.SocketException or SipTransportException)
        {
            log.Fatal("Cannot start: {Error}", e.Message);
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
        await host.DisposeAsync().ConfigureAwait(false);
        (log as IDisposable)?.Dispose();
        return 0;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync().ConfigureAwait(false);
    }
}
