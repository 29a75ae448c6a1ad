using System.Net;

namespace CallSwitch.Sip.Transport.Loopback;

/// <summary>
/// An in-memory channel of a <see cref="LoopbackNetwork"/>, bound to a fake end point, for tests
/// (like the loop transport of other SIP stacks). <see cref="SipProtocol.Udp"/> channels behave as
/// datagrams (loss, duplication, reordering as configured); <see cref="SipProtocol.Tcp"/> and
/// <see cref="SipProtocol.Tls"/> channels are reliable and ordered, and a send to an end point
/// without a channel fails as a refused connection would.
/// </summary>
/// <remarks>
/// Sent bytes are copied during <see cref="SendAsync"/>; each delivery gets its own array, owned
/// by the receiver. Deliveries to one channel are serialised (never two receiver calls at once),
/// on a timer or thread-pool thread, or inside <c>FakeTimeProvider.Advance</c> when the network
/// runs on fake time.
/// </remarks>
public sealed class LoopbackChannel : ISipChannel
{
    private readonly LoopbackNetwork _network;
    private readonly Queue<(IPEndPoint From, byte[] Data)> _inbox = new();
    private ISipChannelReceiver? _receiver;
    private bool _draining;
    private long _received;
    private int _disposed;

    internal LoopbackChannel(LoopbackNetwork network, SipProtocol protocol, IPEndPoint local)
    {
        _network = network;
        Protocol = protocol;
        LocalEndPoint = local;
    }

    /// <inheritdoc />
    public SipProtocol Protocol { get; }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True for TCP and TLS channels: no loss, no duplication, order kept.</summary>
    public bool IsReliable => Protocol != SipProtocol.Udp;

    /// <summary>Link behaviour for what this channel sends; null uses the network's <see cref="LoopbackNetwork.Options"/>.</summary>
    public LoopbackLinkOptions? Options { get; set; }

    /// <summary>Messages handed to the receiver.</summary>
    public long Received => Interlocked.Read(ref _received);

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc />
    public void Start(ISipChannelReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
        {
            throw new InvalidOperationException("The channel is already started.");
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsDisposed)
        {
            return ValueTask.FromException(new SipTransportException($"{this} is closed"));
        }

        try
        {
            _network.Transmit(this, remote, message.Span);
            return ValueTask.CompletedTask;
        }
        catch (SipTransportException ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _network.Remove(this);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"Loopback {Protocol.ToString().ToUpperInvariant()} {LocalEndPoint}";

    /// <summary>Queues one arrival; the caller then calls <see cref="Drain"/> (outside its own locks).</summary>
    internal void Enqueue(IPEndPoint from, byte[] data)
    {
        lock (_inbox)
        {
            _inbox.Enqueue((from, data));
        }
    }

    /// <summary>Hands queued arrivals to the receiver, unless another thread is already doing so.</summary>
    internal void Drain()
    {
        while (true)
        {
            (IPEndPoint From, byte[] Data) item;
            lock (_inbox)
            {
                if (_draining || _inbox.Count == 0)
                {
                    return;
                }

                _draining = true;
                item = _inbox.Dequeue();
            }

            Deliver(item.From, item.Data);
            lock (_inbox)
            {
                _draining = false;
            }
        }
    }

    private void Deliver(IPEndPoint from, byte[] data)
    {
        ISipChannelReceiver? receiver = Volatile.Read(ref _receiver);
        if (receiver is null || IsDisposed)
        {
            // Like a socket nobody reads: the packet is lost.
            _network.CountDropped();
            return;
        }

        Interlocked.Increment(ref _received);
        _network.CountDelivered();
        try
        {
            receiver.OnMessageReceived(this, from, data);
        }
        catch (Exception)
        {
            // The receiver must not throw; a faulty one loses its message, not the network.
        }
    }
}
