using System.Net;
using System.Threading.Channels;
using CallSwitch.Sip.Transport;

namespace CallSwitch.TestSupport;

/// <summary>An <see cref="ISipChannelReceiver"/> that records raw messages and framing errors of channels, for tests to await.</summary>
public sealed class TransportChannelRecorder : ISipChannelReceiver
{
    private readonly Channel<(ISipChannel Channel, IPEndPoint Remote, byte[] Data)> _messages = Channel.CreateUnbounded<(ISipChannel, IPEndPoint, byte[])>();
    private readonly Channel<(IPEndPoint Remote, string Reason)> _errors = Channel.CreateUnbounded<(IPEndPoint, string)>();
    private int _count;

    /// <summary>Messages received so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public void OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
    {
        Interlocked.Increment(ref _count);
        _messages.Writer.TryWrite((channel, remote, message.ToArray()));
    }

    /// <inheritdoc />
    public void OnFramingError(ISipChannel channel, IPEndPoint remote, string reason) => _errors.Writer.TryWrite((remote, reason));

    /// <summary>The next message, or a <see cref="TimeoutException"/> after <paramref name="timeout"/> (5 s by default).</summary>
    public Task<(ISipChannel Channel, IPEndPoint Remote, byte[] Data)> NextAsync(TimeSpan? timeout = null) => ReadAsync(_messages.Reader, timeout);

    /// <summary>The next framing error, or a <see cref="TimeoutException"/>.</summary>
    public Task<(IPEndPoint Remote, string Reason)> NextErrorAsync(TimeSpan? timeout = null) => ReadAsync(_errors.Reader, timeout);

    /// <summary>A message already received, without waiting.</summary>
    public bool TryTake(out (ISipChannel Channel, IPEndPoint Remote, byte[] Data) item) => _messages.Reader.TryRead(out item);

    /// <summary>True when nothing arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _messages.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private static async Task<T> ReadAsync<T>(ChannelReader<T> reader, TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("Nothing arrived in time.");
        }
    }
}
