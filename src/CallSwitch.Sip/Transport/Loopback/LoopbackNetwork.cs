using System.Net;

namespace CallSwitch.Sip.Transport.Loopback;

/// <summary>
/// An in-memory network joining <see cref="LoopbackChannel"/>s by their fake end points, with
/// seeded, repeatable loss, duplication, delay and failure (<see cref="LoopbackLinkOptions"/>).
/// Delays run on the given <see cref="TimeProvider"/>, so a FakeTimeProvider decides when packets
/// arrive. Thread-safe.
/// </summary>
public sealed class LoopbackNetwork : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<(SipProtocol Protocol, IPEndPoint EndPoint), LoopbackChannel> _channels = [];
    private readonly Dictionary<(IPEndPoint From, LoopbackChannel To), Queue<Packet>> _links = [];
    private readonly HashSet<ITimer> _timers = [];
    private readonly Random _random;
    private LoopbackLinkOptions _options = LoopbackLinkOptions.Perfect;
    private int _nextPort = 40_000;
    private long _sent;
    private long _delivered;
    private long _dropped;
    private long _duplicated;
    private bool _disposed;

    /// <summary>Creates a network.</summary>
    /// <param name="timeProvider">The clock of delays; the system clock when null.</param>
    /// <param name="seed">Seed of the random loss and duplication, so that a test run can be repeated.</param>
    public LoopbackNetwork(TimeProvider? timeProvider = null, int seed = 5060)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        _random = new Random(seed);
    }

    /// <summary>The clock of delays.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Link behaviour of every channel that has no <see cref="LoopbackChannel.Options"/> of its own.</summary>
    public LoopbackLinkOptions Options
    {
        get => Volatile.Read(ref _options);
        set => Volatile.Write(ref _options, value ?? LoopbackLinkOptions.Perfect);
    }

    /// <summary>
    /// When true, a message without delay is delivered inside <see cref="LoopbackChannel.SendAsync"/>
    /// on the sender's thread (deterministic, but the receiver then runs inside the sender's call);
    /// when false (the default) it is delivered from the thread pool, as a socket would.
    /// </summary>
    public bool DeliverInline { get; set; }

    /// <summary>Messages accepted by sends (a duplicate counts once).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages handed to receivers.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Messages lost: dropped on purpose, sent to an end point without a channel, or arriving at a channel not started or closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Extra copies made by duplication.</summary>
    public long Duplicated => Interlocked.Read(ref _duplicated);

    /// <summary>
    /// Creates a channel bound to <paramref name="local"/>; port 0 picks a free fake port.
    /// The caller owns the channel and disposes it.
    /// </summary>
    /// <exception cref="SipTransportException">A channel of that protocol already uses that end point.</exception>
    public LoopbackChannel CreateChannel(IPEndPoint local, SipProtocol protocol = SipProtocol.Udp)
    {
        ArgumentNullException.ThrowIfNull(local);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (local.Port == 0)
            {
                do
                {
                    local = new IPEndPoint(local.Address, _nextPort++);
                }
                while (_channels.ContainsKey((protocol, local)));
            }

            if (_channels.ContainsKey((protocol, local)))
            {
                throw new SipTransportException($"Loopback {protocol} {local} is already in use");
            }

            var channel = new LoopbackChannel(this, protocol, local);
            _channels.Add((protocol, local), channel);
            return channel;
        }
    }

    /// <summary>Creates a channel on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public LoopbackChannel CreateChannel(string address, int port, SipProtocol protocol = SipProtocol.Udp) =>
        CreateChannel(new IPEndPoint(IPAddress.Parse(address), port), protocol);

    /// <summary>Cancels every delivery still waiting for its delay.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (ITimer timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
            _links.Clear();
        }
    }

    internal void CountDelivered() => Interlocked.Increment(ref _delivered);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void Remove(LoopbackChannel channel)
    {
        lock (_gate)
        {
            _channels.Remove((channel.Protocol, channel.LocalEndPoint));
        }
    }

    /// <summary>Sends a copy of <paramref name="data"/> from <paramref name="from"/> to <paramref name="to"/>.</summary>
    internal void Transmit(LoopbackChannel from, IPEndPoint to, ReadOnlySpan<byte> data)
    {
        LoopbackLinkOptions options = from.Options ?? Options;
        if (options.FailSends)
        {
            throw new SipTransportException($"{from}: send to {to} failed (link configured to fail)");
        }

        LoopbackChannel? destination;
        int copies = 1;
        TimeSpan[] delays;
        lock (_gate)
        {
            if (_disposed)
            {
                throw new SipTransportException($"{from}: the loopback network is closed");
            }

            _channels.TryGetValue((from.Protocol, to), out destination);
            if (destination is null && from.IsReliable)
            {
                throw new SipTransportException($"{from}: connection to {to} refused (no channel there)");
            }

            Interlocked.Increment(ref _sent);
            if (destination is null || (!from.IsReliable && options.DropProbability > 0 && _random.NextDouble() < options.DropProbability))
            {
                // A datagram to nowhere vanishes, as ICMP errors are ignored for UDP.
                Interlocked.Increment(ref _dropped);
                return;
            }

            if (!from.IsReliable && options.DuplicateProbability > 0 && _random.NextDouble() < options.DuplicateProbability)
            {
                copies = 2;
                Interlocked.Increment(ref _duplicated);
            }

            delays = new TimeSpan[copies];
            for (int i = 0; i < copies; i++)
            {
                delays[i] = options.Delay;
                if (!from.IsReliable && options.Jitter > TimeSpan.Zero)
                {
                    delays[i] += TimeSpan.FromTicks((long)(_random.NextDouble() * options.Jitter.Ticks));
                }
            }
        }

        for (int i = 0; i < copies; i++)
        {
            var packet = new Packet(from.LocalEndPoint, destination, data.ToArray());
            if (from.IsReliable)
            {
                SendOrdered(packet, delays[i]);
            }
            else
            {
                Schedule(delays[i], () =>
                {
                    packet.Destination.Enqueue(packet.From, packet.Data);
                    packet.Destination.Drain();
                });
            }
        }
    }

    /// <summary>A reliable link keeps its order: a packet whose delay ran out waits for those sent before it.</summary>
    private void SendOrdered(Packet packet, TimeSpan delay)
    {
        Queue<Packet> link;
        lock (_gate)
        {
            if (!_links.TryGetValue((packet.From, packet.Destination), out link!))
            {
                link = new Queue<Packet>();
                _links.Add((packet.From, packet.Destination), link);
            }

            link.Enqueue(packet);
        }

        Schedule(delay, () =>
        {
            lock (_gate)
            {
                packet.Ready = true;
                while (link.Count > 0 && link.Peek().Ready)
                {
                    Packet next = link.Dequeue();
                    next.Destination.Enqueue(next.From, next.Data);
                }

                if (link.Count == 0)
                {
                    _links.Remove((packet.From, packet.Destination));
                }
            }

            packet.Destination.Drain();
        });
    }

    private void Schedule(TimeSpan delay, Action deliver)
    {
        if (delay <= TimeSpan.Zero)
        {
            if (DeliverInline)
            {
                deliver();
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(static d => d(), deliver, preferLocal: false);
            }

            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // The timer is kept referenced until it fires: an unreferenced system timer may be
            // collected before its due time. The lock also keeps the callback from running before
            // the timer is in the set.
            ITimer? timer = null;
            timer = TimeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        if (!_timers.Remove(timer!))
                        {
                            return;
                        }
                    }

                    timer!.Dispose();
                    deliver();
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    private sealed class Packet(IPEndPoint from, LoopbackChannel destination, byte[] data)
    {
        public IPEndPoint From { get; } = from;

        public LoopbackChannel Destination { get; } = destination;

        public byte[] Data { get; } = data;

        public bool Ready { get; set; }
    }
}
