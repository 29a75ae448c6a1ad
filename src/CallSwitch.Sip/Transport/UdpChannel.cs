using System.Net;
using System.Net.Sockets;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// A UDP channel (RFC 3261 §18): one socket bound to one IPv4 or IPv6 end point, read by threads
/// of its own in blocking receives (<see cref="UdpChannelOptions.ReceiveThreads"/>). Each datagram
/// is copied into a new array of its exact size whose ownership passes to the receiver; the
/// receiver is called on the thread that read it. The datagrams of one call (one Call-ID) reach
/// the receiver one at a time, in the order the socket gave them (<see cref="CallIdStripe"/>);
/// other calls' may be handled at the same time on other threads. Sending is thread-safe, synchronous (a UDP send only copies the datagram into the
/// kernel) and needs no connection.
/// </summary>
/// <remarks>
/// Why a thread rather than an asynchronous loop: at 300 call set-ups per second (~5,000 SIP
/// datagrams a second) the loop mostly waited, so each datagram cost a wake-up of the runtime's
/// socket-event thread and then of a thread-pool worker before any parsing (the ".NET Sockets"
/// thread alone was 6.8 % of the switch's CPU, bench/notes/2026-12-07-call-setup-profile.md). A
/// blocking receive wakes the one thread that handles the datagram. The socket is never used
/// asynchronously, so it stays a blocking socket and the sends are plain <c>sendto</c> calls.
/// </remarks>
public sealed class UdpChannel : ISipChannel
{
    private readonly Socket _socket;
    private readonly UdpChannelOptions _options;
    private readonly TaskCompletionSource _loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ISipChannelReceiver? _receiver;
    private long _receiveErrors;
    private int _disposed;
    private int _loopsRunning;

    // With several receive threads: whose turn it is at the socket, and a lock per call stripe.
    private readonly Lock _receiveTurn = new();
    private Lock[]? _stripes;

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

            // A blocked receive also returns this often to look whether the channel was closed,
            // should closing the socket not interrupt it.
            _socket.ReceiveTimeout = (int)StopCheckInterval.TotalMilliseconds;
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
    }

    /// <summary>Call stripes per receive thread: enough that two calls rarely share one.</summary>
    private const int StripesPerThread = 32;

    /// <summary>How often a receive that waits looks whether the channel was closed.</summary>
    public static readonly TimeSpan StopCheckInterval = TimeSpan.FromSeconds(1);

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

        int threads = Math.Max(1, _options.ReceiveThreads);
        _loopsRunning = threads;
        if (threads > 1)
        {
            _stripes = new Lock[threads * StripesPerThread];
            for (int i = 0; i < _stripes.Length; i++)
            {
                _stripes[i] = new Lock();
            }
        }

        for (int i = 0; i < threads; i++)
        {
            var reader = new Reader(_options.MaxDatagramBytes, LocalEndPoint);
            new Thread(() => ReceiveLoop(reader)) { IsBackground = true, Name = "sip udp " + LocalEndPoint.Port }.Start();
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);

        // Failures come back in the returned task, as from an asynchronous send: a caller that
        // does not await at once never sees a throw.
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (_disposed != 0)
        {
            return ValueTask.FromException(new SipTransportException($"UDP {LocalEndPoint} is closed"));
        }

        if (remote.AddressFamily != LocalEndPoint.AddressFamily)
        {
            return ValueTask.FromException(new SipTransportException($"UDP {LocalEndPoint} cannot send to {remote}: other address family"));
        }

        try
        {
            // The kernel copies the datagram before sendto returns, as ISipChannel requires.
            _socket.SendTo(message.Span, SocketFlags.None, remote);
            return ValueTask.CompletedTask;
        }
        catch (SocketException ex)
        {
            return ValueTask.FromException(new SipTransportException($"UDP send from {LocalEndPoint} to {remote} failed: {ex.SocketErrorCode}", ex));
        }
        catch (ObjectDisposedException ex)
        {
            return ValueTask.FromException(new SipTransportException($"UDP {LocalEndPoint} is closed", ex));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Dispose();
        if (_receiver is not null)
        {
            // Started: each receive thread ends once closing the socket (or its timeout) wakes it.
            await _loopEnded.Task.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override string ToString() => "UDP " + LocalEndPoint;

    private void ReceiveLoop(Reader reader)
    {
        try
        {
            while (_disposed == 0)
            {
                // With several threads, they take turns at the socket, and each takes its
                // datagram's call stripe before giving up its turn: a call's datagrams are handled
                // one at a time in the order they were read, other calls' in parallel.
                Lock[]? stripes = _stripes;
                Lock? stripe = null;
                int length;
                if (stripes is not null)
                {
                    _receiveTurn.Enter();
                }

                try
                {
                    length = ReceiveOne(reader);
                    if (length > 0 && stripes is not null)
                    {
                        stripe = stripes[CallIdStripe.Of(reader.Buffer.AsSpan(0, length), stripes.Length)];
                        stripe.Enter();
                    }
                }
                finally
                {
                    if (stripes is not null)
                    {
                        _receiveTurn.Exit();
                    }
                }

                if (length < 0)
                {
                    return;
                }

                if (length == 0)
                {
                    continue;
                }

                try
                {
                    Deliver(reader, length);
                }
                finally
                {
                    stripe?.Exit();
                }
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _loopsRunning) == 0)
            {
                _loopEnded.TrySetResult();
            }
        }
    }

    /// <summary>Reads one datagram: its length, 0 when there is none to handle (a timeout, a survived error, an empty datagram), -1 once the channel is closed.</summary>
    private int ReceiveOne(Reader reader)
    {
        int length;
        try
        {
            length = _socket.ReceiveFrom(reader.Buffer, SocketFlags.None, reader.From);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        catch (SocketException) when (_disposed != 0)
        {
            return -1;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            return 0;
        }
        catch (SocketException ex)
        {
            // ConnectionReset/Refused (an ICMP port unreachable for an earlier send),
            // HostUnreachable, MessageSize (a datagram too big): none of them concern the
            // socket itself, so the loop goes on.
            Interlocked.Increment(ref _receiveErrors);
            if (!IsTransient(ex.SocketErrorCode))
            {
                // An unexpected error might repeat at once: do not spin on it.
                Thread.Sleep(50);
            }

            return 0;
        }

        // An empty datagram carries nothing (some agents send them as NAT keep-alives): 0.
        return length;
    }

    private void Deliver(Reader reader, int length)
    {
        byte[] datagram = reader.Buffer.AsSpan(0, length).ToArray();
        IPEndPoint remote = reader.RemoteEndPoint();
        try
        {
            _receiver!.OnMessageReceived(this, remote, datagram);
        }
        catch (Exception)
        {
            // The receiver must not throw; if it does, one datagram is lost, not the channel
            // (nor the process: this is a thread of our own).
            Interlocked.Increment(ref _receiveErrors);
        }
    }

    /// <summary>One receive thread's buffer and sender address.</summary>
    /// <remarks>
    /// It reuses one SocketAddress for every receive; the last sender's end point is kept so that
    /// a burst from the same peer does not allocate an IPEndPoint per datagram.
    /// </remarks>
    private sealed class Reader(int maxDatagramBytes, IPEndPoint local)
    {
        private SocketAddress? _lastFrom;
        private IPEndPoint? _lastRemote;

        public byte[] Buffer { get; } = new byte[maxDatagramBytes];

        public SocketAddress From { get; } = new(local.AddressFamily);

        public IPEndPoint RemoteEndPoint()
        {
            if (_lastRemote is not null && From.Equals(_lastFrom))
            {
                return _lastRemote;
            }

            var copy = new SocketAddress(From.Family, From.Size);
            From.Buffer.Span[..From.Size].CopyTo(copy.Buffer.Span);
            var remote = (IPEndPoint)local.Create(copy);
            _lastFrom = copy;
            _lastRemote = remote;
            return remote;
        }
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
