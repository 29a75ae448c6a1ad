using System.Net;

namespace CallSwitch.Media.Relay;

/// <summary>
/// The anchored media relay of the switch: allocates each call's ports and runs the socket
/// model that receives for all sessions. One per process.
/// </summary>
/// <remarks>
/// <see cref="CreateSession"/> is called by signalling, from any thread. Disposing the relay
/// stops its receiver threads; dispose the sessions first.
/// </remarks>
public sealed class MediaRelay : IDisposable
{
    private readonly MediaRelayOptions _options;
    private readonly TimeProvider _time;
    private readonly IRelaySocketDriver _driver;

    /// <summary>Creates the relay and starts its socket model.</summary>
    public MediaRelay(MediaRelayOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Batch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Batch, 1024);
        _options = options;
        _time = time ?? TimeProvider.System;
        Ports = new RtpPortAllocator(options.MinPort, options.MaxPort);
        _driver = options.SocketModel == RelaySocketModel.Epoll && EpollNative.IsSupported
            ? new EpollDriver(options.ReceiverThreads, options.Batch, options.BatchedSends, _time)
            : new PollingDriver(options.ReceiverThreads, options.PollInterval, _time);
    }

    /// <summary>The port range the sessions draw from.</summary>
    public RtpPortAllocator Ports { get; }

    /// <summary>The socket model in use.</summary>
    public RelaySocketModel SocketModel => _options.SocketModel;

    /// <summary>
    /// Binds a socket pair for each leg and starts receiving on them. Configure the legs'
    /// remotes (<see cref="RelaySession.Configure"/>) once SDP says where the peers are.
    /// </summary>
    /// <param name="addressA">Local address of leg A (agent side); the configured bind address if null.</param>
    /// <param name="addressB">Local address of leg B (trunk side); the configured bind address if null.</param>
    /// <exception cref="PortRangeExhaustedException">The port range is used up.</exception>
    public RelaySession CreateSession(IPAddress? addressA = null, IPAddress? addressB = null)
    {
        RtpSocketPair a = Ports.Allocate(addressA ?? _options.BindAddress);
        try
        {
            RtpSocketPair b = Ports.Allocate(addressB ?? _options.BindAddress);
            return new RelaySession(_driver, _time, a, b, _options.ConnectLatchedPeers);
        }
        catch
        {
            a.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Binds a socket pair for a one-legged end point of the switch's own (a supervisor's
    /// media) and starts receiving on it; <see cref="RelayEndpoint.Configure"/> it from SDP.
    /// </summary>
    /// <param name="address">Local address; the configured bind address if null.</param>
    /// <exception cref="PortRangeExhaustedException">The port range is used up.</exception>
    public RelayEndpoint CreateEndpoint(IPAddress? address = null) =>
        new(_driver, _time, Ports.Allocate(address ?? _options.BindAddress));

    /// <summary>Stops the socket model's threads.</summary>
    public void Dispose() => _driver.Dispose();
}
