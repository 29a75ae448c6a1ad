namespace CallSwitch.Media.Relay;

/// <summary>
/// A fixed pool of receiver threads that each own many sockets: sockets are handed out round
/// robin, which keeps the receivers evenly loaded as calls come and go. The socket models
/// differ only in how a receiver waits for readable sockets.
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
            _receivers[_nextReceiver].Add(socket);
            _nextReceiver = (_nextReceiver + 1) % _receivers.Length;
        }
    }

    public void Remove(RelaySocket socket)
    {
        socket.Stopped = true;
        lock (_gate)
        {
            foreach (IRelaySocketDriver receiver in _receivers)
            {
                receiver.Remove(socket);
            }
        }
    }

    public void Dispose()
    {
        foreach (IRelaySocketDriver receiver in _receivers)
        {
            receiver.Dispose();
        }
    }
}
