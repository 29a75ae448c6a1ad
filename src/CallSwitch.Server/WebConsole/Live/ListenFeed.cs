using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Server.WebConsole.Live;

/// <summary>
/// A browser's live listening, as a consumer of a call's listen feed: the mixer's 20 ms frames
/// (16-bit PCM at 8 kHz, both parties mixed) gathered five at a time into 100 ms messages for the
/// WebSocket. The tick thread only copies into a pooled buffer and queues it; the WebSocket's
/// task sends it and returns the buffer. A browser that falls behind loses messages (counted),
/// never slows the mixer.
/// </summary>
public sealed class ListenFeed : IPcmFrameSink
{
    /// <summary>Frames per message (100 ms).</summary>
    public const int FramesPerMessage = 5;

    /// <summary>Bytes of one message: 5 frames of 160 samples of 2 bytes.</summary>
    public const int MessageBytes = FramesPerMessage * SupervisionMixer.FrameSamples * sizeof(short);

    private readonly Channel<byte[]> _messages = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(20)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    // Tick thread only.
    private byte[]? _filling;
    private int _frames;
    private long _dropped;

    /// <summary>The 100 ms messages (little-endian 16-bit samples), each a pooled buffer of <see cref="MessageBytes"/> bytes: return it to <see cref="ArrayPool{T}.Shared"/> once sent.</summary>
    public ChannelReader<byte[]> Messages => _messages.Reader;

    /// <summary>Messages dropped because the browser was behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public void OnFrame(ReadOnlySpan<short> pcm, long tickIndex)
    {
        _filling ??= ArrayPool<byte>.Shared.Rent(MessageBytes);
        int frameBytes = SupervisionMixer.FrameSamples * sizeof(short);
        MemoryMarshal.AsBytes(pcm[..SupervisionMixer.FrameSamples]).CopyTo(_filling.AsSpan(_frames * frameBytes, frameBytes));
        if (++_frames < FramesPerMessage)
        {
            return;
        }

        if (!_messages.Writer.TryWrite(_filling))
        {
            ArrayPool<byte>.Shared.Return(_filling);
            Interlocked.Increment(ref _dropped);
        }

        _filling = null;
        _frames = 0;
    }

    /// <summary>No more frames will come (the call ended or the browser left).</summary>
    public void Complete() => _messages.Writer.TryComplete();
}
