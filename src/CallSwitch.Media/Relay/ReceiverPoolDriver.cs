namespace CallSwitch.Media.Relay;

/// <summary>
/// A fixed pool of receiver threads that each own many sockets. The sockets of one call (same
/// <see cref="RelaySocket.Affinity"/>) go to one receiver and consecutive calls to the next,
/// round robin: one thread then writes a call's counters and streams, which two threads would
/// bounce between their caches on every packet. A socket without affinity goes by its RTP/RTCP
/// pair (ports p and p+1 on one receiver, consecutive pairs on the next): handing out single
/// sockets round robin would put every RTP socket on receiver 0 and every RTCP socket on
/// receiver 1 with two receivers, leaving the relay on one thread. The socket models differ only
/// in how a receiver waits for readable sockets.
/// </summary>
internal abstract class ReceiverPoolDriver : IRelaySocketDriver
{
    private readonly IRelaySocketDriver[] _receivers;
    private readonly Lock _gate = new();
    private int _nextReceiver;

    protected ReceiverPoolDriver(int threads, Func<int, IRelaySocketDriver> createReceiver)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _receivers = new IRelaySocketDriver[threads];
        for (int i = 0; i < threads; i++)
        {
            _receivers[i] = createReceiver(i);
        }
    }

    public void Add(RelaySocket socket)
    {
        lock (_gate)
        {
            _receivers[ReceiverFor(socket)].Add(socket);
        }
    }

    public void Remove(RelaySocket socket)
    {
        socket.Stopped = true;
        // Not under the gate: a receiver's Remove may wait for its thread's wake-up to end, and
        // a handler on that thread may itself add or remove sockets.
        foreach (IRelaySocketDriver receiver in _receivers)
        {
            receiver.Remove(socket);
        }
    }

    /// <summary>The receiver of a socket: by its call, else by its RTP/RTCP pair when it is bound to a port, else round robin.</summary>
    private int ReceiverFor(RelaySocket socket)
    {
        if (socket.Affinity >= 0)
        {
            return socket.Affinity % _receivers.Length;
        }

        if (socket.Socket.LocalEndPoint is System.Net.IPEndPoint { Port: > 0 } local)
        {
            return (local.Port / 2) % _receivers.Length;
        }

        int next = _nextReceiver;
        _nextReceiver = (_nextReceiver + 1) % _receivers.Length;
        return next;
    }

    public void Dispose()
    {
        foreach (IRelaySocketDriver receiver in _receivers)
        {
            receiver.Dispose();
        }
    }
}
