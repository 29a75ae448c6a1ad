using CallSwitch.Calls.Control;
using System.Net;
using CallSwitch.Calls.Core;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Server.Logging;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// One running switch: a .NET host (<see cref="SwitchHostBuilder"/>) whose hosted services start
/// in this order: the archive (start-up recovery and spool sweep, before any call), the media
/// clock and relay, the SIP channels, the configuration watcher, then the HTTP API (Kestrel, with
/// <c>/metrics</c>) when the configuration has an 'api' section. They stop in the reverse order:
/// the API, the watcher, every live call ended (5 s at most) then the channels closed, the media,
/// and last the store, flushed and closed. Start, then dispose to stop.
/// </summary>
public sealed class SwitchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RunningConfig _config;
    private int _stopped;

    internal SwitchHost(WebApplication app)
    {
        _app = app;
        _config = app.Services.GetRequiredService<RunningConfig>();
        Calls = app.Services.GetRequiredService<CallRegistry>();
        Control = app.Services.GetRequiredService<ICallControl>();
        Recordings = app.Services.GetService<RecordingService>();
        Archive = app.Services.GetService<CallArchive>();
        Registrar = app.Services.GetRequiredService<Registrar>();
        Core = app.Services.GetRequiredService<SwitchCore>();
        Transport = app.Services.GetRequiredService<SipTransportLayer>();
        Transactions = app.Services.GetRequiredService<SipTransactionLayer>();
    }

    /// <summary>The host's services (every part of the switch is registered there).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The live calls as anything outside the call machinery sees and acts on them (the API, next the console and supervision).</summary>
    public ICallControl Control { get; }

    /// <summary>The live calls.</summary>
    public CallRegistry Calls { get; }

    /// <summary>The recording service (subscribe to its Finished event to persist metadata); null when recording is not set up.</summary>
    public RecordingService? Recordings { get; }

    /// <summary>Where ended calls and their recordings are stored; null when no data folder is set up.</summary>
    public CallArchive? Archive { get; }

    /// <summary>The configuration in force; a reload swaps it (see <see cref="Apply"/>).</summary>
    public SwitchConfig Config => _config.Current;

    /// <summary>The HTTP API's address and port once started (the real port when 0 was configured); null without an 'api' section.</summary>
    public IPEndPoint? ApiEndPoint { get; private set; }

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
        Transport.Channels.Select(c => (c.Protocol, c.LocalEndPoint)).ToArray();

    /// <summary>True once SIP messages are delivered: a start failure after that is the HTTP API's.</summary>
    internal bool SipOpen => _app.Services.GetRequiredService<SipService>().IsOpen;

    /// <summary>Builds and starts a switch (<see cref="SwitchHostBuilder.Build"/>, then <see cref="StartAsync()"/>); on a start failure what was started is stopped.</summary>
    public static async Task<SwitchHost> StartAsync(SwitchConfig config, ILogger log, SwitchHostOptions? options = null)
    {
        SwitchHost host = SwitchHostBuilder.Build(config, log, options);
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>Starts the hosted services in order (see the type's remarks).</summary>
    /// <exception cref="IOException">The HTTP API's address cannot be bound.</exception>
    public async Task StartAsync()
    {
        await _app.StartAsync().ConfigureAwait(false);
        if (Config.Api is { } api)
        {
            string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            ApiEndPoint = new IPEndPoint(api.Address, new Uri(address).Port);
            Serilog.ILogger log = _app.Services.GetRequiredService<ILogger>();
            log.Information("HTTP API listening on {EndPoint} for {Clients} client(s), metrics at {Metrics}", ApiEndPoint, api.Clients.Count, Metrics.PrometheusExport.Path);
        }
    }

    /// <summary>
    /// Swaps in a reloaded configuration: the agent directory (new registrations and
    /// authentications use it at once; calls in progress are not touched) and the snapshot that
    /// campaign, trunk and inbound lookups read. Sections fixed at start must already hold their
    /// running values (<see cref="LiveConfigChanges.Merge"/>).
    /// </summary>
    public void Apply(SwitchConfig config) => _config.Apply(config);

    /// <summary>Stops the hosted services in the reverse order; an error of one is thrown once all were asked to stop.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a switch until <paramref name="stop"/> is cancelled; returns the exit code (0, or 1
    /// when it cannot start or did not stop cleanly: said in the log, never an abort). With a
    /// <paramref name="path"/>, the file is watched and reloaded on change and on SIGHUP. The log
    /// goes to standard output.
    /// </summary>
    public static async Task<int> RunAsync(SwitchConfig config, string? path, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(config);
        string configName = path ?? EmbeddedConfig.Name;
        Serilog.Core.Logger log = LogSetup.Create(config.Logging);
        SwitchHost? host = null;
        try
        {
            host = SwitchHostBuilder.Build(config, log, new SwitchHostOptions { ConfigPath = path });
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStartFailure(e))
        {
            // FormatException: a master key that is not one (CALLSWITCH_MASTER_KEY or the key file);
            // NotSupportedException: a listener protocol not available yet (TLS).
            log.Fatal(host?.SipOpen == true ? "Cannot start the HTTP API: {Error}" : "Cannot start: {Error}", e.Message);
            if (host is not null)
            {
                await StopQuietlyAsync(host, log).ConfigureAwait(false);
            }

            await log.DisposeAsync().ConfigureAwait(false);
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
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        log.Information("CallSwitch stopping");
        int code = await StopQuietlyAsync(host, log).ConfigureAwait(false) ? 0 : 1;
        await log.DisposeAsync().ConfigureAwait(false);
        return code;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsStartFailure(Exception e) =>
        e is System.Net.Sockets.SocketException or SipTransportException or FormatException or NotSupportedException or IOException or UnauthorizedAccessException or InvalidOperationException
            or CallSwitch.Compliance.Storage.MetadataSchemaException or Microsoft.Data.Sqlite.SqliteException or CallSwitch.Media.Announcements.AnnouncementLoadException;

    /// <summary>Stops and disposes; false (logged) when something did not stop cleanly: what could be closed was.</summary>
    private static async Task<bool> StopQuietlyAsync(SwitchHost host, ILogger log)
    {
        try
        {
            await host.DisposeAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            log.Error(e, "Stopping did not finish cleanly");
            return false;
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
}
