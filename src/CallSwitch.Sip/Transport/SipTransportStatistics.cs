namespace CallSwitch.Sip.Transport;

/// <summary>Counters of a <see cref="SipTransportLayer"/>; thread-safe, read at any time.</summary>
public sealed class SipTransportStatistics
{
    private long _received;
    private long _sent;
    private long _malformed;
    private long _dropped;
    private long _sendErrors;
    private long _errorResponses;
    private long _framingErrors;
    private long _handlerErrors;

    /// <summary>Messages received (datagrams and framed stream messages), valid or not.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages sent successfully.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Received messages that did not parse or lacked mandatory headers.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Received messages discarded without a response (malformed responses, requests too broken to answer).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Sends that failed.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Error responses (400, 505, 513) sent back for malformed requests.</summary>
    public long ErrorResponsesSent => Interlocked.Read(ref _errorResponses);

    /// <summary>Stream connections closed because their bytes could not be framed.</summary>
    public long FramingErrors => Interlocked.Read(ref _framingErrors);

    /// <summary>Messages whose handler threw.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <inheritdoc />
    public override string ToString() =>
        $"received={Received} sent={Sent} malformed={Malformed} dropped={Dropped} sendErrors={SendErrors} " +
        $"errorResponses={ErrorResponsesSent} framingErrors={FramingErrors} handlerErrors={HandlerErrors}";

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountSendError() => Interlocked.Increment(ref _sendErrors);

    internal void CountErrorResponse() => Interlocked.Increment(ref _errorResponses);

    internal void CountFramingError() => Interlocked.Increment(ref _framingErrors);

    internal void CountHandlerError() => Interlocked.Increment(ref _handlerErrors);
}
