using System.Buffers;
using System.Net;
using System.Net.Sockets;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// The transport layer (RFC 3261 §18): owns the channels, parses what they receive, stamps the
/// top Via of requests (RFC 3261 §18.2.1, RFC 3581), answers malformed requests with an error
/// response when they can be routed, drops the rest, and hands every good message with its
/// <see cref="SipFlow"/> to the <see cref="ISipMessageHandler"/>. It sends messages on flows.
/// </summary>
/// <remarks>
/// The receive path never throws: problems are counted in <see cref="Statistics"/> and reported to
/// the <see cref="ISipTransportObserver"/>. The handler is called on the channels' threads (see
/// <see cref="ISipMessageHandler.OnMessage"/>). Sending is thread-safe.
/// </remarks>
public sealed class SipTransportLayer : ISipTransport, ISipChannelReceiver, IAsyncDisposable
{
    private readonly ISipChannel[] _channels;
    private readonly SipMessageParser _parser;
    private readonly ISipTransportObserver? _observer;
    private ISipMessageHandler? _handler;
    private int _disposed;

    /// <summary>Creates the layer over <paramref name="channels"/>, which it then owns and disposes.</summary>
    /// <param name="channels">The channels, not yet started.</param>
    /// <param name="limits">Parser limits (message and head size, header count).</param>
    /// <param name="observer">Optional tracing hooks.</param>
    public SipTransportLayer(IEnumerable<ISipChannel> channels, SipParserLimits? limits = null, ISipTransportObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        _channels = [.. channels];
        if (_channels.Length == 0)
        {
            throw new ArgumentException("At least one channel is needed.", nameof(channels));
        }

        _parser = new SipMessageParser(limits);
        _observer = observer;
    }

    /// <summary>The channels, in the order given.</summary>
    public IReadOnlyList<ISipChannel> Channels => _channels;

    /// <summary>Counters of what was received, sent, refused and lost.</summary>
    public SipTransportStatistics Statistics { get; } = new();

    /// <summary>Starts every channel; from then on messages go to <paramref name="handler"/>.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start(ISipMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Interlocked.CompareExchange(ref _handler, handler, null) is not null)
        {
            throw new InvalidOperationException("The transport layer is already started.");
        }

        foreach (ISipChannel channel in _channels)
        {
            channel.Start(this);
        }
    }

    /// <summary>
    /// The channel a flow is sent on: the one of <see cref="SipFlow.Protocol"/> bound to
    /// <see cref="SipFlow.Local"/>, or when the flow has no local end point the first channel of
    /// that protocol and of the remote's address family. Null when there is none.
    /// </summary>
    public ISipChannel? FindChannel(SipFlow flow)
    {
        AddressFamily family = flow.Remote?.AddressFamily ?? AddressFamily.InterNetwork;
        bool anyLocal = !flow.HasLocal;
        foreach (ISipChannel channel in _channels)
        {
            if (channel.Protocol != flow.Protocol)
            {
                continue;
            }

            if (anyLocal ? channel.LocalEndPoint.AddressFamily == family : channel.LocalEndPoint.Equals(flow.Local))
            {
                return channel;
            }
        }

        return null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The message is serialised once; it may be changed again when the task completes. A response
    /// goes exactly to <paramref name="flow"/>: use <see cref="ISipTransport.SendResponseAsync"/> to route it by its Via.
    /// </remarks>
    public async ValueTask SendAsync(SipMessage message, SipFlow flow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (flow.Remote is null)
        {
            throw new ArgumentException("The flow has no remote end point.", nameof(flow));
        }

        try
        {
            if (_disposed != 0)
            {
                throw new SipTransportException("The transport layer is closed");
            }

            ISipChannel channel = FindChannel(flow) ?? throw new SipTransportException($"No {flow.Protocol} channel for {flow}");

            // A pooled buffer: a channel copies what it needs before its send completes
            // (ISipChannel), and a new array per message was 8.5 % of the switch's allocations at
            // 300 set-ups per second (two arrays when the measured bound exceeded the written size).
            byte[] buffer = ArrayPool<byte>.Shared.Rent(SipMessageWriter.Measure(message));
            try
            {
                int length = SipMessageWriter.Write(message, buffer);
                await channel.SendAsync(flow.Remote, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (SipTransportException ex)
        {
            Statistics.CountSendError();
            _observer?.OnSendFailed(message, flow, ex);
            throw;
        }

        Statistics.CountSent();
        _observer?.OnMessageSent(message, flow);
    }

    /// <inheritdoc />
    /// <remarks>
    /// RFC 3261 §18.2.2: over a stream, when the connection of the request is gone, the response
    /// goes on a new connection to the received address and the sent-by port.
    /// </remarks>
    public async ValueTask SendResponseAsync(SipResponse response, SipFlow requestFlow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ViaHeader? via = response.TopVia;
        if (via is null)
        {
            await SendAsync(response, requestFlow, cancellationToken).ConfigureAwait(false);
            return;
        }

        SipFlow flow = SipRouting.GetResponseFlow(via, requestFlow);
        try
        {
            await SendAsync(response, flow, cancellationToken).ConfigureAwait(false);
        }
        catch (SipTransportException) when (flow.IsReliable)
        {
            SipFlow fallback = SipRouting.GetReliableResponseFallback(via, requestFlow);
            if (fallback.Remote.Equals(flow.Remote))
            {
                throw;
            }

            await SendAsync(response, fallback, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops and disposes every channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (ISipChannel channel in _channels)
        {
            try
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or SipTransportException)
            {
                // Closing: nothing more to do with that channel.
            }
        }
    }

    /// <inheritdoc />
    void ISipChannelReceiver.OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
    {
        var flow = new SipFlow(channel.Protocol, channel.LocalEndPoint, remote);
        try
        {
            Receive(message, flow);
        }
        catch (Exception ex)
        {
            // A bug below must not stop a channel's loop: count it as a lost message.
            Statistics.CountDropped();
            _observer?.OnMessageDropped(flow, "Internal error: " + ex.Message, message);
        }
    }

    /// <inheritdoc />
    void ISipChannelReceiver.OnFramingError(ISipChannel channel, IPEndPoint remote, string reason)
    {
        Statistics.CountFramingError();
        Statistics.CountMalformed();
        _observer?.OnMessageDropped(new SipFlow(channel.Protocol, channel.LocalEndPoint, remote), "Framing: " + reason, ReadOnlyMemory<byte>.Empty);
    }

    private void Receive(ReadOnlyMemory<byte> data, SipFlow flow)
    {
        Statistics.CountReceived();
        if (!_parser.TryParse(data, out SipMessage? message, out SipParseError? error))
        {
            Statistics.CountMalformed();
            if (error.Partial is SipRequest partial)
            {
                Refuse(partial, flow, error.StatusCode, error.Reason, data);
            }
            else
            {
                Drop(flow, error.Reason, data);
            }

            return;
        }

        if (message is SipRequest request)
        {
            if (MissingHeader(request) is string missing)
            {
                Statistics.CountMalformed();
                Refuse(request, flow, 400, "Missing " + missing, data);
                return;
            }

            if (request.TopVia!.HasUnusableBranch)
            {
                // RFC 4475 §3.2.1 badbranch: the 400 is sent statelessly. A transaction keyed on
                // the bare magic cookie would take the source's next request (another Call-ID,
                // the same cookie) for a retransmission and never answer it. An ACK gets no answer.
                Statistics.CountMalformed();
                if (request.Method == SipMethods.Ack)
                {
                    Drop(flow, SipRequestValidator.MalformedViaBranch, data);
                }
                else
                {
                    Refuse(request, flow, 400, SipRequestValidator.MalformedViaBranch, data);
                }

                return;
            }

            SipRouting.StampTopVia(request, flow.Remote);
        }
        else if (MissingHeader(message) is string missing)
        {
            // RFC 3261 §18.1.2: a response that cannot be matched is discarded.
            Statistics.CountMalformed();
            Drop(flow, "Response missing " + missing, data);
            return;
        }

        _observer?.OnMessageReceived(message, flow);
        try
        {
            _handler!.OnMessage(message, flow);
        }
        catch (Exception ex)
        {
            Statistics.CountHandlerError();
            _observer?.OnHandlerFailed(message, flow, ex);
        }
    }

    /// <summary>Answers a request that cannot be accepted, when it carries enough to route the answer; drops it otherwise.</summary>
    private void Refuse(SipRequest request, SipFlow flow, int statusCode, string reason, ReadOnlyMemory<byte> data)
    {
        SipResponse? response = SipRouting.StampTopVia(request, flow.Remote)
            ? TransportErrorResponse.TryBuild(request, statusCode, reason)
            : null;
        if (response is null)
        {
            Drop(flow, reason, data);
            return;
        }

        _observer?.OnMessageDropped(flow, $"{statusCode} {reason}", data);
        Statistics.CountErrorResponse();
        _ = SendErrorResponseAsync(response, flow);
    }

    private async Task SendErrorResponseAsync(SipResponse response, SipFlow flow)
    {
        try
        {
            await SendResponseAsync(response, flow).ConfigureAwait(false);
        }
        catch (SipTransportException)
        {
            // Counted and reported by SendAsync; nobody waits for a stateless error response.
        }
        catch (ArgumentException)
        {
            // A Via too broken to route: the response is not sent.
        }
    }

    private void Drop(SipFlow flow, string reason, ReadOnlyMemory<byte> data)
    {
        Statistics.CountDropped();
        _observer?.OnMessageDropped(flow, reason, data);
    }

    /// <summary>The first mandatory header (RFC 3261 §8.1.1) that is absent or unparsable, or null.</summary>
    private static string? MissingHeader(SipMessage message)
    {
        if (message.TopVia is null)
        {
            return "or malformed Via";
        }

        if (message.CSeq is null)
        {
            return "or malformed CSeq";
        }

        if (string.IsNullOrWhiteSpace(message.CallId))
        {
            return "Call-ID";
        }

        if (message.Headers[HeaderId.From] is null)
        {
            return "From";
        }

        return message.Headers[HeaderId.To] is null ? "To" : null;
    }
}
