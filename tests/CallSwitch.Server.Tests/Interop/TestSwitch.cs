using System.Net;
using CallSwitch.Compliance.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Logging;
using CallSwitch.Server.Tests.Configuration;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Interop;

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

    public static TestSwitch Start(Func<SwitchConfig, SwitchConfig>? adjust = null)
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
        };
        config = adjust?.Invoke(config) ?? config;
        var log = new StringWriter();
        return new TestSwitch(SwitchHost.Start(config, LogSetup.Create(config.Logging, log)), port, log);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
