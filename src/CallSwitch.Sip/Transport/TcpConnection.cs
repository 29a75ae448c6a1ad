using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// One TCP connection of a <see cref="TcpChannel"/>, accepted or opened by us. It has its own read
/// loop (framing with <see cref="SipStreamFramer"/>) and writes one message at a time, so that
/// two senders never interleave their bytes on the stream.
/// </summary>
internal sealed class TcpConnection
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    private readonly TcpChannel _channel;
    private readonly Socket _socket;
    private readonly SipStreamFramer _framer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sendTimeout;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private long _lastActivity;
    private int _isClosed;

    public TcpConnection(TcpChannel channel, Socket socket, IPEndPoint remote, bool outgoing, TcpChannelOptions options)
    {
        _channel = channel;
        _socket = socket;
        Remote = remote;
        Outgoing = outgoing;
        _framer = new SipStreamFramer(options.Limits);
        _time = options.TimeProvider;
        _sendTimeout = options.SendTimeout;
        _lastActivity = _time.GetTimestamp();
    }

    /// <summary>The peer's end point: its ephemeral port for an accepted connection.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>True when we opened the connection.</summary>
    public bool Outgoing { get; }

    public bool IsClosed => Volatile.Read(ref _isClosed) != 0;

    /// <summary>The read loop; completes when the connection is closed.</summary>
    public Task Reading { get; private set; } = Task.CompletedTask;

    /// <summary>How long nothing was read or written.</summary>
    public TimeSpan IdleFor => _time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    public void Start(ISipChannelReceiver receiver) => Reading = Task.Run(() => ReadLoopAsync(receiver));

    /// <summary>Writes one whole message; the bytes are on the socket when the task completes.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            throw new SipTransportException($"TCP connection {_channel.LocalEndPoint}<->{Remote} is closed");
        }

        using var timeout = new CancellationTokenSource(_sendTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _closed.Token);
        bool locked = false;
        try
        {
            await _sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
            locked = true;
            while (!message.IsEmpty)
            {
                int sent = await _socket.SendAsync(message, SocketFlags.None, linked.Token).ConfigureAwait(false);
                message = message[sent..];
            }

            Touch();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A stalled peer or a connection closed under us: the stream may hold half a
            // message, so it cannot carry another one.
            Close();
            throw new SipTransportException($"TCP send to {Remote} timed out or the connection closed");
        }
        catch (OperationCanceledException)
        {
            if (locked)
            {
                // Cancelled in the middle of a message: the stream is no longer framed.
                Close();
            }

            throw;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Close();
            throw new SipTransportException($"TCP send to {Remote} failed: {(ex as SocketException)?.SocketErrorCode.ToString() ?? "closed"}", ex);
        }
        finally
        {
            if (locked)
            {
                _sendLock.Release();
            }
        }
    }

    /// <summary>Closes the socket (idempotent); the read loop ends and the channel forgets the connection.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return;
        }

        _closed.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer.
        }

        _socket.Dispose();
        _channel.OnConnectionClosed(this);
    }

    public override string ToString() => $"TCP {_channel.LocalEndPoint}<->{Remote}";

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    private async Task ReadLoopAsync(ISipChannelReceiver receiver)
    {
        CancellationToken token = _closed.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                Memory<byte> buffer = _framer.GetReadBuffer();
                if (buffer.IsEmpty)
                {
                    // Cannot happen within the framer's limits (it fails first); never read 0 bytes and take it for a close.
                    ReportFramingError(receiver, "Message larger than the framing buffer");
                    return;
                }

                int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                {
                    // The peer closed its side.
                    return;
                }

                _framer.Advance(read);
                Touch();
                if (!await DeliverFramesAsync(receiver).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or SipTransportException)
        {
            // Reset by the peer, closed by us, or a pong that could not be written.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Hands every whole message to the receiver; false when the stream cannot be framed.</summary>
    private async ValueTask<bool> DeliverFramesAsync(ISipChannelReceiver receiver)
    {
        while (true)
        {
            switch (_framer.TryReadFrame(out byte[]? message))
            {
                case SipStreamFrameKind.NeedMoreData:
                    return true;
                case SipStreamFrameKind.Message:
                    try
                    {
                        receiver.OnMessageReceived(_channel, Remote, message);
                    }
                    catch (Exception)
                    {
                        // The receiver must not throw; if it does, one message is lost, not the connection.
                    }

                    break;
                case SipStreamFrameKind.KeepAlivePing:
                    // RFC 5626 §3.5.1: answer a CRLFCRLF ping with a CRLF pong.
                    await SendAsync(Pong, CancellationToken.None).ConfigureAwait(false);
                    break;
                case SipStreamFrameKind.KeepAlivePong:
                    break;
                default:
                    ReportFramingError(receiver, _framer.Error ?? "Cannot frame the stream");
                    return false;
            }
        }
    }

    private void ReportFramingError(ISipChannelReceiver receiver, string reason)
    {
        try
        {
            receiver.OnFramingError(_channel, Remote, reason);
        }
        catch (Exception)
        {
            // As for messages: the connection is closed anyway.
        }
    }
}
