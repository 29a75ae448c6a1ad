namespace CallSwitch.Media.Relay;

/// <summary>
/// Converts one RTP payload from the codec of the receiving leg to the codec of the sending
/// leg, when the two legs negotiated different codecs. One instance per direction per call:
/// stateful codecs (G.722's ADPCM predictor) keep their state in the instance.
/// </summary>
/// <remarks>
/// Called by the relay on the receive thread of the leg the packet came from; never by two
/// threads at once for one instance. Both buffers belong to the relay and are valid only
/// during the call. Must not allocate. The relay keeps the RTP timestamp as it is, so the
/// two codecs must share their RTP clock rate (true for G.711 and G.722, both 8000 Hz in RTP,
/// RFC 3551 §4.5.2).
/// </remarks>
public interface IPayloadTranscoder
{
    /// <summary>The largest output for an input of <paramref name="inputLength"/> bytes.</summary>
    int GetMaxOutputLength(int inputLength);

    /// <summary>
    /// Converts <paramref name="inputPayload"/> into <paramref name="outputPayload"/> (at least
    /// <see cref="GetMaxOutputLength"/> long) and returns the bytes written, or a negative value
    /// to drop the packet (counted by the relay as malformed).
    /// </summary>
    int Transcode(ReadOnlySpan<byte> inputPayload, Span<byte> outputPayload);
}
