using System.Net;

namespace CallSwitch.Sip.Transport;

/// <summary>Receives what a channel reads.</summary>
public interface ISipChannelReceiver
{
    /// <summary>
    /// One whole message (a datagram, or one framed message of a stream). The receiver owns
    /// <paramref name="message"/>: the channel never reuses that memory.
    /// </summary>
    void OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message);

    /// <summary>A stream peer sent bytes that cannot be framed (for example a bad Content-Length); the connection is closed.</summary>
    void OnFramingError(ISipChannel channel, IPEndPoint remote, string reason);
}
