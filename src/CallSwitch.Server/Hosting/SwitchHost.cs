using System.Net;
using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Auth;
using CallSwitch.Calls.Core;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Logging;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Parsing;
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

    private readonly MediaRelay _relay;
    private readonly MediaClock _clock;

    private SwitchHost(SwitchConfig config, ILogger log, TimeProvider time, CallSetup calls)
    {
        Config = config;
        _log = log;
        _relay = new MediaRelay(calls.Relay, time);
        _clock = new MediaClock(time);
        _clock.SourceFailed += (_, e) => log.Error(e, "An announcement source failed");
        Registrar = new Registrar(config.Registrar, time);
        var credentials = new AgentCredentialStore(new AgentDirectory(config.Agents));
        var digest = new DigestServer(
            new DigestServerOptions
            {
                Realm = config.Realm,
                NonceLifetime = TimeSpan.FromSeconds(config.Auth.NonceLifetimeSeconds),
                Algorithms = config.Auth.Algorithms,
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
            _channels.Add(listen.Protocol switch
            {
                SipProtocol.Udp => new UdpChannel(endPoint),
                SipProtocol.Tcp => new TcpChannel(endPoint),
                _ => throw new NotSupportedException($"{listen.Protocol} listeners are not available yet."),
            });
        }

        Transport = new SipTransportLayer(_channels, config.Limits, new TransportLogObserver(log));
        var core = new DeferredTransactionUser();
        Transactions = new SipTransactionLayer(Transport, core, time);
        Calls = new CallRegistry();
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
        };
        var router = new CallRouter(calls.Routing, Registrar, calls.Normalize, Calls, ListenerFor);
        Core = new SwitchCore(new AgentAuthenticator(digest, limiter, credentials, log), Registrar, config.UserAgent, log, router, context);
        core.Target = Core;
    }

    /// <summary>The live calls.</summary>
    public CallRegistry Calls { get; }

    /// <summary>The configuration in force.</summary>
    public SwitchConfig Config { get; }

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
    public static SwitchHost Start(SwitchConfig config, ILogger log, TimeProvider? time = null, CallSetup? calls = null)
    {
        var host = new SwitchHost(config, log, time ?? TimeProvider.System, calls ?? new CallSetup());
        host._clock.Start();
        host.Transport.Start(host.Transactions);
        foreach (var (protocol, endPoint) in host.Listeners)
        {
            log.Information("Listening for SIP on {Protocol} {EndPoint}", protocol.ToString().ToUpperInvariant(), endPoint);
        }

        return host;
    }

    /// <summary>Runs a switch until <paramref name="stop"/> is cancelled; returns the exit code.</summary>
    public static async Task<int> RunAsync(SwitchConfig config, string configName, TextWriter output, CancellationToken stop)
    {
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

        log.Information("CallSwitch started with {Config}: realm {Realm}, {Agents} agent(s)", configName, config.Realm, config.Agents.Count);
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        log.Information("CallSwitch stopping");
        await host.DisposeAsync().ConfigureAwait(false);
        (log as IDisposable)?.Dispose();
        return 0;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Calls.Calls.Select(c => c.HangUpAsync(CallEnd.ShutDown))).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _clock.Dispose();
        await Transport.DisposeAsync().ConfigureAwait(false);
        _relay.Dispose();
    }

    private IPEndPoint ListenerFor(SipProtocol protocol) =>
        _channels.FirstOrDefault(c => c.Protocol == protocol)?.LocalEndPoint
        ?? _channels[0].LocalEndPoint;
}
