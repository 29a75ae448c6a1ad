namespace CallSwitch.Sip.Transport;

/// <summary>What <see cref="SipStreamFramer.TryReadFrame"/> found in the buffered stream bytes.</summary>
public enum SipStreamFrameKind
{
    /// <summary>No whole frame is buffered yet: read more bytes.</summary>
    NeedMoreData,

    /// <summary>One whole SIP message (head and Content-Length bytes of body).</summary>
    Message,

    /// <summary>An RFC 5626 §3.5.1 keep-alive ping (CRLFCRLF): answer with a CRLF pong.</summary>
    KeepAlivePing,

    /// <summary>An RFC 5626 §3.5.1 keep-alive pong (a lone CRLF between messages): nothing to do.</summary>
    KeepAlivePong,

    /// <summary>The stream cannot be framed any more (bad or oversized Content-Length, head too large): close the connection.</summary>
    Error,
}
