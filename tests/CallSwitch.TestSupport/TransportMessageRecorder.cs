using System.Threading.Channels;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.TestSupport;

/// <summary>An <see cref="ISipMessageHandler"/> that records what a transport layer delivers, for tests to await.</summary>
public sealed class TransportMessageRecorder : ISipMessageHandler
{
    private readonly Channel<(SipMessage Message, SipFlow Flow)> _queue = Channel.CreateUnbounded<(SipMessage, SipFlow)>();
    private int _count;

    /// <summary>Messages received so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public void OnMessage(SipMessage message, SipFlow flow)
    {
        Interlocked.Increment(ref _count);
        _queue.Writer.TryWrite((message, flow));
    }

    /// <summary>The next message, or a <see cref="TimeoutException"/> after <paramref name="timeout"/> (5 s by default).</summary>
    public async Task<(SipMessage Message, SipFlow Flow)> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _queue.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No SIP message arrived in time.");
        }
    }

    /// <summary>A message already received, without waiting; false when none is queued.</summary>
    public bool TryTake(out (SipMessage Message, SipFlow Flow) item) => _queue.Reader.TryRead(out item);
}
