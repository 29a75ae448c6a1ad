using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// A TCP channel (RFC 3261 §18): a listener plus every connection it accepted or opened,
/// IPv4 or IPv6. Connections are keyed by the peer's end point, so a request to an agent that
/// registered over TCP (its Contact and Via carry its ephemeral client port) goes back on the
/// connection the agent opened; a send to an end point without a connection opens one.
/// </summary>
/// <remarks>
/// Each connection has its own read loop (a thread-pool task) that frames the stream and calls
/// the receiver with a new array per message (the receiver owns it). Receivers are therefore
/// called concurrently for different connections, and in order for one connection.
/// <see cref="SendAsync"/> is thread-safe: sends on one connection are serialised.
/// </remarks>
public sealed class TcpChannel : ISipChannel
{
    private readonly Socket _listener;
    private readonly TcpChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, Lazy<Task<TcpConnection>>> _connecting = new();
    private ISipChannelReceiver? _receiver;
    private ITimer? _idleTimer;
    private Task _acceptLoop = Task.CompletedTask;
    private int _open;
    private long _refused;
    private int _disposed;

    /// <summary>Binds and listens on <paramref name="local"/> (port 0 picks a free port).</summary>
    /// <exception cref="SipTransportException">The address cannot be bound.</exception>
    public TcpChannel(IPEndPoint local, TcpChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        _options = options ?? TcpChannelOptions.Default;
        _time = _options.TimeProvider;
        _listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6)
            {
                _listener.DualMode = false;
            }

            // A restarted switch must get its port back while old connections sit in TIME_WAIT.
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(local);
            _listener.Listen(_options.Backlog);
        }
        catch (SocketException ex)
        {
            _listener.Dispose();
            throw new SipTransportException($"Cannot listen on TCP {local}: {ex.SocketErrorCode}", ex);
        }

        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    /// <inheritdoc />
    public SipProtocol Protocol => SipProtocol.Tcp;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Connections refused because <see cref="TcpChannelOptions.MaxConnections"/> was reached.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>True when a connection to or from <paramref name="remote"/> is open.</summary>
    public bool HasConnection(IPEndPoint remote) => _connections.TryGetValue(remote, out var c) && !c.IsClosed;

    /// <summary>Closes the connection to or from <paramref name="remote"/>, if any; true when there was one.</summary>
    public bool CloseConnection(IPEndPoint remote)
    {
        if (_connections.TryGetValue(remote, out var connection))
        {
            connection.Close();
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The channel was already started.</exception>
    public void Start(ISipChannelReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
        {
            throw new InvalidOperationException("The channel is already started.");
        }

        if (_options.IdleTimeout != Timeout.InfiniteTimeSpan && _options.IdleTimeout > TimeSpan.Zero)
        {
            TimeSpan interval = _options.IdleCheckInterval ?? TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _options.IdleTimeout.Ticks / 4));
            _idleTimer = _time.CreateTimer(static state => ((TcpChannel)state!).CloseIdleConnections(), this, interval, interval);
        }

        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The channel is not started.</exception>
    /// <remarks>
    /// Reuses the open connection to or from <paramref name="remote"/>, or connects (bounded by
    /// <see cref="TcpChannelOptions.ConnectTimeout"/>); concurrent sends to one new end point share one connect.
    /// </remarks>
    public async ValueTask SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (_disposed != 0)
        {
            throw new SipTransportException($"TCP {LocalEndPoint} is closed");
        }

        if (remote.AddressFamily != LocalEndPoint.AddressFamily)
        {
            throw new SipTransportException($"TCP {LocalEndPoint} cannot send to {remote}: other address family");
        }

        if (Volatile.Read(ref _receiver) is null)
        {
            // A connection needs a receiver for what the peer sends back on it.
            throw new InvalidOperationException("Start the channel before sending on it.");
        }

        TcpConnection connection = await GetOrConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _idleTimer?.Dispose();
        _listener.Dispose();
        var reading = new List<Task> { _acceptLoop };
        foreach (TcpConnection connection in _connections.Values)
        {
            connection.Close();
            reading.Add(connection.Reading);
        }

        try
        {
            await Task.WhenAll(reading).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Loops end by cancellation or by their socket being closed.
        }

        // _stop is not disposed: a send racing with the disposal may still link to its token,
        // and a source without a timer holds nothing to release.
    }

    /// <inheritdoc />
    public override string ToString() => "TCP " + LocalEndPoint;

    /// <summary>Called once by a connection when it closes.</summary>
    internal void OnConnectionClosed(TcpConnection connection)
    {
        _connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection));
        Interlocked.Decrement(ref _open);
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!token.IsCancellationRequested)
            {
                // ECONNABORTED and the like: that connection is gone, the listener is not.
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            if (_disposed != 0 || !TryReserveConnection())
            {
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            Register(new TcpConnection(this, socket, remote, outgoing: false, _options));
        }
    }

    private async ValueTask<TcpConnection> GetOrConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (_connections.TryGetValue(remote, out var existing) && !existing.IsClosed)
        {
            return existing;
        }

        Lazy<Task<TcpConnection>> connect = _connecting.GetOrAdd(remote, r => new Lazy<Task<TcpConnection>>(() => ConnectAsync(r)));
        return await connect.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<TcpConnection> ConnectAsync(IPEndPoint remote)
    {
        try
        {
            if (!TryReserveConnection())
            {
                throw new SipTransportException($"TCP {LocalEndPoint}: too many connections ({_options.MaxConnections}) to connect to {remote}");
            }

            var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
            try
            {
                if (!LocalEndPoint.Address.Equals(IPAddress.Any) && !LocalEndPoint.Address.Equals(IPAddress.IPv6Any))
                {
                    // Leave from the listening address so that the peer sees the address our Via names.
                    socket.Bind(new IPEndPoint(LocalEndPoint.Address, 0));
                }

                await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                socket.Dispose();
                Interlocked.Decrement(ref _open);
                throw ex switch
                {
                    OperationCanceledException when timeout.IsCancellationRequested =>
                        new SipTransportException($"TCP connect from {LocalEndPoint} to {remote} timed out after {_options.ConnectTimeout.TotalMilliseconds} ms", ex),
                    OperationCanceledException or ObjectDisposedException => new SipTransportException($"TCP {LocalEndPoint} is closed", ex),
                    SocketException se => new SipTransportException($"TCP connect from {LocalEndPoint} to {remote} failed: {se.SocketErrorCode}", ex),
                    _ => ex,
                };
            }

            var connection = new TcpConnection(this, socket, remote, outgoing: true, _options);
            Register(connection);
            if (_disposed != 0)
            {
                connection.Close();
                throw new SipTransportException($"TCP {LocalEndPoint} is closed");
            }

            return connection;
        }
        finally
        {
            _connecting.TryRemove(remote, out _);
        }
    }

    private void Register(TcpConnection connection)
    {
        // Two connections with one peer end point (an agent whose outgoing socket reuses its
        // listening port): the newer one takes the key, the older one keeps working until closed.
        _connections[connection.Remote] = connection;
        connection.Start(_receiver!);
    }

    private bool TryReserveConnection()
    {
        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _refused);
            return false;
        }

        return true;
    }

    private void CloseIdleConnections()
    {
        foreach (TcpConnection connection in _connections.Values)
        {
            if (connection.IdleFor >= _options.IdleTimeout)
            {
                connection.Close();
            }
        }
    }
}
