using System.Net;
using CallSwitch.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Tests.Logging;
using CallSwitch.TestSupport;

namespace CallSwitch.InteropTests.Signalling;

/// <summary>A switch on loopback with the embedded demo agents, on one free port for UDP and TCP.</summary>
internal sealed class TestSwitch : IAsyncDisposable
{
    private readonly StringWriter _log;

    private TestSwitch(SwitchHost host, int port, StringWriter log)
    {
        Host = host;
        Port = port;
        _log = log;
    }

    public SwitchHost Host { get; }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Everything the switch logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a switch. Without <paramref name="calls"/> it has no routes (every agent INVITE is
    /// refused with 403), so that no test reaches the demo trunk by accident.
    /// </summary>
    public static TestSwitch Start(Func<SwitchConfig, SwitchConfig>? adjust = null, CallSetup? calls = null)
    {
        var (embedded, errors) = ConfigFixture.LoadEmbedded();
        Assert.Empty(errors);
        int port = FreePorts.Next();
        SwitchConfig config = embedded! with
        {
            Listen =
            [
                new ListenConfig(TransportProtocol.Udp, IPAddress.Loopback, port),
                new ListenConfig(TransportProtocol.Tcp, IPAddress.Loopback, port),
            ],
            Logging = new LoggingConfig { Level = LogLevel.Debug },

            // No HTTP API unless a test asks for one (ApiTests.WithApi): the embedded one's port is fixed.
            Api = null,
        };
        config = adjust?.Invoke(config) ?? config;
        var log = new StringWriter();
        calls ??= new CallSetup { Relay = new CallSwitch.Media.Relay.MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = 40000, MaxPort = 49999 } };
        SwitchHost host = SwitchHost.StartAsync(config, SwitchLog.Create(config.Logging, log), new SwitchHostOptions { Calls = calls }).GetAwaiter().GetResult();
        return new TestSwitch(host, port, log);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
