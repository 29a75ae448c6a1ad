using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// A UDP channel (RFC 3261 §18): one socket bound to one IPv4 or IPv6 end point, read by a single
/// asynchronous loop. Each datagram is copied into a new array of its exact size whose ownership
/// passes to the receiver; the receiver is called from that loop (a thread-pool thread), one
/// datagram at a time. Sending is thread-safe and needs no connection.
/// </summary>
public sealed class UdpChannel : ISipChannel
{
    private readonly Socket _socket;
    private readonly UdpChannelOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _receiveBuffer;
    private ISipChannelReceiver? _receiver;
    private Task _loop = Task.CompletedTask;
    private long _receiveErrors;
    private int _disposed;

    // The loop reuses one SocketAddress for every receive; the last sender's end point is kept
    // so that a burst from the same peer does not allocate an IPEndPoint per datagram.
    private readonly SocketAddress _from;
    private SocketAddress? _lastFrom;
    private IPEndPoint? _lastRemote;

    /// <summary>Binds a UDP socket to <paramref name="local"/> (port 0 picks a free port).</summary>
    /// <exception cref="SipTransportException">The address cannot be bound.</exception>
    public UdpChannel(IPEndPoint local, UdpChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        _options = options ?? UdpChannelOptions.Default;
        _socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // One channel per address family: an IPv6 channel does not also take IPv4.
                _socket.DualMode = false;
            }

            TrySetBufferSizes();
            if (OperatingSystem.IsWindows())
            {
                // SIO_UDP_CONNRESET off: Windows otherwise fails the next receive with
                // ConnectionReset after an ICMP port unreachable for an earlier send.
                _socket.IOControl(unchecked((int)0x9800000C), [0, 0, 0, 0], null);
            }

            _socket.Bind(local);
        }
        catch (SocketException ex)
        {
            _socket.Dispose();
            throw new SipTransportException($"Cannot bind UDP {local}: {ex.SocketErrorCode}", ex);
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiveBuffer = new byte[_options.MaxDatagramBytes];
        _from = new SocketAddress(local.AddressFamily);
    }

    /// <inheritdoc />
    public SipProtocol Protocol => SipProtocol.Udp;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Receive errors the loop survived (ICMP unreachable reports and the like).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

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

        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (_disposed != 0)
        {
            throw new SipTransportException($"UDP {LocalEndPoint} is closed");
        }

        if (remote.AddressFamily != LocalEndPoint.AddressFamily)
        {
            throw new SipTransportException($"UDP {LocalEndPoint} cannot send to {remote}: other address family");
        }

        try
        {
            // The kernel copies the datagram before SendToAsync completes, as ISipChannel requires.
            await _socket.SendToAsync(message, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new SipTransportException($"UDP send from {LocalEndPoint} to {remote} failed: {ex.SocketErrorCode}", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new SipTransportException($"UDP {LocalEndPoint} is closed", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _stop.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => "UDP " + LocalEndPoint;

    private async Task ReceiveLoopAsync()
    {
        CancellationToken token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, _from, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (!token.IsCancellationRequested)
            {
                // ConnectionReset/Refused (an ICMP port unreachable for an earlier send),
                // HostUnreachable, MessageSize (a datagram too big): none of them concern the
                // socket itself, so the loop goes on.
                Interlocked.Increment(ref _receiveErrors);
                if (!IsTransient(ex.SocketErrorCode))
                {
                    // An unexpected error might repeat at once: do not spin on it.
                    await Task.Delay(50, token).ConfigureAwait(false);
                }

                continue;
            }
            catch (SocketException)
            {
                return;
            }

            if (length == 0)
            {
                // An empty datagram carries nothing (some agents send them as NAT keep-alives).
                continue;
            }

            byte[] datagram = _receiveBuffer.AsSpan(0, length).ToArray();
            IPEndPoint remote = RemoteEndPoint();
            try
            {
                _receiver!.OnMessageReceived(this, remote, datagram);
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // The receiver must not throw; if it does, one datagram is lost, not the channel.
                Interlocked.Increment(ref _receiveErrors);
            }
        }
    }

    private IPEndPoint RemoteEndPoint()
    {
        if (_lastRemote is not null && _from.Equals(_lastFrom))
        {
            return _lastRemote;
        }

        var copy = new SocketAddress(_from.Family, _from.Size);
        _from.Buffer.Span[.._from.Size].CopyTo(copy.Buffer.Span);
        var remote = (IPEndPoint)LocalEndPoint.Create(copy);
        _lastFrom = copy;
        _lastRemote = remote;
        return remote;
    }

    private static bool IsTransient(SocketError error) => error is
        SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.HostUnreachable or
        SocketError.NetworkUnreachable or SocketError.MessageSize or SocketError.NoBufferSpaceAvailable or
        SocketError.Interrupted or SocketError.TryAgain or SocketError.WouldBlock;

    private void TrySetBufferSizes()
    {
        try
        {
            _socket.ReceiveBufferSize = _options.ReceiveBufferBytes;
            _socket.SendBufferSize = _options.SendBufferBytes;
        }
        catch (SocketException)
        {
            // The kernel refused the size; its default still works.
        }
    }
}
