using CallSwitch.Calls.Supervision;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Auth;
using CallSwitch.Calls.Core;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Capture;
using CallSwitch.Server.Api;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Metrics;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// Composes a switch in one place: its parts (SIP channels, transport and transactions, the
/// core, the media relay and clock, the recording service and the call archive, the metrics)
/// are built here, registered as singletons of one .NET host, and run by hosted services that
/// start and stop in a fixed order (see <see cref="SwitchHost"/>). Production and tests build
/// the same host; tests only choose the options (<see cref="SwitchHostOptions"/>).
/// </summary>
public static class SwitchHostBuilder
{
    /// <summary>Builds a switch; nothing listens until <see cref="SwitchHost.StartAsync()"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">A SIP listener cannot be bound.</exception>
    /// <exception cref="FormatException">The master key is not one (CALLSWITCH_MASTER_KEY or the key file).</exception>
    public static SwitchHost Build(SwitchConfig config, ILogger log, SwitchHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        options ??= new SwitchHostOptions();
        if (config.Logging.UnmaskNumbers)
        {
            log.Warning("logging.unmask_numbers is on: phone numbers are written in clear in this log (for debugging only; an erasure request does not reach log files)");
        }

        TimeProvider time = options.Time ?? TimeProvider.System;
        var routing = new RoutingHolder(options.Calls is null ? CallSetupBuilder.BuildRouting(config) : null);
        CallSetup calls = options.Calls ?? CallSetupBuilder.Build(config, routing.Get, log);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "callswitch",
            ContentRootPath = AppContext.BaseDirectory,
        });
        IServiceCollection services = builder.Services;

        // The YAML alone configures the switch: no appsettings.json, no ASPNETCORE_* variables
        // (ASPNETCORE_URLS or a Kestrel section would open listeners the configuration does not name).
        builder.Configuration.Sources.Clear();

        // ASP.NET Core's own logs (Kestrel, hosting) go to the switch's Serilog logger.
        builder.Logging.ClearProviders();
        services.AddSerilog(log, dispose: false);

        // The caller owns the process's signals: the command line turns them into the stop token.
        services.AddSingleton<IHostLifetime, SwitchOwnedLifetime>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        if (config.Api is { } api)
        {
            ApiHost.Listen(builder, api);
        }
        else if (config.Console is null)
        {
            services.AddSingleton<IServer, NoHttpServer>();
        }

        var relay = new MediaRelay(calls.Relay, time);
        var clock = new MediaClock(time);
        clock.SourceFailed += (_, e) => log.Error(e, "An announcement source failed");
        var registrar = new Registrar(SwitchConfigMapper.ToRegistrarSettings(config.Registrar), time);
        var credentials = new AgentCredentialStore(SwitchConfigMapper.ToAgentDirectory(config.Agents));
        var running = new RunningConfig(config, routing, credentials, log);
        IReadOnlyList<ISipChannel> channels = (options.Channels ?? SipChannels.FromConfig)(config);
        var transport = new SipTransportLayer(channels, SwitchConfigMapper.ToParserLimits(config.Limits), new TransportLogObserver(log));
        var deferred = new DeferredTransactionUser();
        var transactions = new SipTransactionLayer(transport, deferred, time);
        var registry = new CallRegistry();
        RecordingService? recordings = CreateRecordings(calls, time, log);
        var writeLatency = new WriteLatencyHistogram();
        CallArchive? archive = CreateArchive(calls, registry, recordings, time, log, writeLatency);
        var access = new SwitchAccess(() => running.Current, archive?.Store, time);
        running.Applied += access.Update;
        DoNotCallCache? doNotCall = archive is null
            ? null
            : new DoNotCallCache(archive.Store, time, DoNotCallCache.DefaultRefresh, e => log.Warning("Could not reload the do-not-call list (the previous one stays): {Error}", e.Message));

        // Supervision needs its audit log: without a data folder (no store) it is refused.
        SupervisionService? supervision = archive is null
            ? null
            : new SupervisionService(new TeamSupervisionPolicy(access.Authorizer, () => credentials.Directory, ext => access.Users?.FindByExtension(ext)), new SupervisionAudit(archive.Store, time, log), time, config.Supervision.NotifyAgent);
        var control = new CallControl(registry, supervision);
        SwitchCore core = CreateCore(config, calls, time, log, registrar, credentials, transport, transactions, relay, clock, registry, recordings, control, doNotCall);
        deferred.Target = core;

        services.AddSingleton(time);
        services.AddSingleton(log);
        services.AddSingleton(running);
        services.AddSingleton(calls);
        services.AddSingleton(relay);
        services.AddSingleton(clock);
        services.AddSingleton(registrar);
        services.AddSingleton(transport);
        services.AddSingleton(transactions);
        services.AddSingleton(registry);
        services.AddSingleton<ICallControl>(control);
        services.AddSingleton(access);
        services.AddSingleton(core);
        if (recordings is not null)
        {
            services.AddSingleton(recordings);
        }

        if (archive is not null)
        {
            services.AddSingleton(archive);
        }

        services.AddSingleton(sp =>
        {
            var metrics = new SwitchMetrics(transport, registry, recordings);
            StoreWriterMetrics.Add(metrics.Meter, writeLatency);
            return metrics;
        });
        services.AddSingleton(sp => new PrometheusExport(sp.GetRequiredService<SwitchMetrics>()));
        if (archive is not null && recordings is not null && access.Guard is { } guard)
        {
            // For the web console: the same extracts as `callswitch recordings extract`.
            services.AddSingleton(new Extracts.TrainingExtracts(
                archive.Store,
                recordings.Vault,
                guard,
                extension => running.Current.FindAgent(extension)?.Team,
                campaign => running.Current.FindCampaign(campaign)?.AccessRules,
                time));
        }

        if (archive is not null)
        {
            services.AddSingleton(sp => new KpiGauges(
                sp.GetRequiredService<SwitchMetrics>().Meter,
                archive.Store,
                () => running.Current.Campaigns.Select(c => c.Id),
                time,
                e => log.Error("KPI gauges not refreshed: {Error}", e.Message)));
        }


        // Started in this order, before the HTTP server; stopped in the reverse order, after it:
        // recovery before SIP opens; calls ended before the channels close; the store closed last.
        services.AddHostedService(_ => new ArchiveService(archive, recordings, log, writeLatency));
        services.AddSingleton(_ => new AccessService(access, archive?.Store, time, log));
        services.AddHostedService(sp => sp.GetRequiredService<AccessService>());
        services.AddHostedService(_ => new DoNotCallRefresh(doNotCall, log));
        services.AddHostedService(_ => new MediaService(clock, relay));
        services.AddSingleton(_ => new SipService(transport, transactions, core, registry, log));
        services.AddHostedService(sp => sp.GetRequiredService<SipService>());
        services.AddHostedService(_ => new ConfigWatchService(options.ConfigPath, running, log));
        services.AddHostedService(sp => new KpiService(sp.GetService<KpiGauges>()));
        WebConsole.ConsoleHost.AddConsole(builder, config);

        WebApplication app = builder.Build();
        if (config.Api is not null)
        {
            ApiHost.Map(app, () => running.Current.Api, control, access, time, log);
            app.Services.GetRequiredService<PrometheusExport>().Map(app);
        }

        return new SwitchHost(app);
    }

    /// <summary>How long the HTTP server waits for requests in flight at shutdown; the switch's own services do not wait on it.</summary>
    internal static TimeSpan ShutdownTimeout { get; } = TimeSpan.FromSeconds(5);

    private static RecordingService? CreateRecordings(CallSetup calls, TimeProvider time, ILogger log)
    {
        if (calls.Vault is not { } vault)
        {
            log.Information("Recording is not set up: no call is recorded");
            return null;
        }

        // The crew's threads live while recordings do: nothing to dispose with the host.
        return new RecordingService(vault, time, calls.RecordingPolicy) { Scheduler = new RecorderScheduler(time) };
    }

    private static CallArchive? CreateArchive(CallSetup calls, CallRegistry registry, RecordingService? recordings, TimeProvider time, ILogger log, WriteLatencyHistogram writeLatency)
    {
        if (calls.DataPath is not { } data)
        {
            log.Information("No data folder: calls and recordings are not stored");
            return null;
        }

        Directory.CreateDirectory(data);
        var store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions
        {
            DataDirectory = data,
            Time = time,
            BackgroundWriteFailed = (what, e) => log.Error("Metadata write failed ({What}): {Error}", what, e.Message),
            WriteLatency = writeLatency,

            // Holds on a number are checked by its keyed hash (an erasure from the console needs it).
            NumberDigest = calls.Vault is { } vault ? vault.Digest : null,
        });
        log.Information("Call metadata in {Database} (schema {Version})", store.DatabasePath, store.SchemaVersion);
        return new CallArchive(store, registry, recordings, time, log);
    }

    private static SwitchCore CreateCore(
        SwitchConfig config,
        CallSetup calls,
        TimeProvider time,
        ILogger log,
        Registrar registrar,
        AgentCredentialStore credentials,
        SipTransportLayer transport,
        SipTransactionLayer transactions,
        MediaRelay relay,
        MediaClock clock,
        CallRegistry registry,
        RecordingService? recordings,
        ICallControl control,
        IDoNotCallList? doNotCall)
    {
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

        // A call's answers and requests leave from the channel of the protocol they use.
        System.Net.IPEndPoint ListenerFor(SipProtocol protocol) =>
            transport.Channels.FirstOrDefault(c => c.Protocol == protocol)?.LocalEndPoint
            ?? transport.Channels[0].LocalEndPoint;

        var context = new CallContext
        {
            Transactions = transactions,
            Transport = transport,
            Relay = relay,
            Clock = clock,
            MediaAddress = calls.MediaAddress,
            Listener = ListenerFor,
            Registry = registry,
            Time = time,
            Log = log,
            ServerName = config.UserAgent,
            RtpTimeout = calls.RtpTimeout,
            Recording = recordings,
        };
        var router = new CallRouter(calls.Routing, registrar, calls.Normalize, registry, ListenerFor) { DoNotCall = doNotCall };
        var core = new SwitchCore(new AgentAuthenticator(digest, limiter, credentials, log, config.Auth.Md5OnlyUserAgents), registrar, config.UserAgent, log, router, context);
        core.EnableSupervision(new SupervisorCalls(context, control, config.Supervision));
        return core;
    }
}
