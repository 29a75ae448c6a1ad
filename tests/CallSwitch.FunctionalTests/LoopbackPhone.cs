using System.Net;
using System.Text;
using System.Threading.Channels;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;

namespace CallSwitch.FunctionalTests;

/// <summary>
/// A SIP user agent on the in-memory network: sends the requests and responses a test writes,
/// and hands over what arrives, in order. Messages a test does not wait for stay queued until
/// it does. The network is lossless, so no retransmission is needed on either side.
/// </summary>
internal sealed class LoopbackPhone : ISipChannelReceiver, IAsyncDisposable
{
    private static readonly SipMessageParser Parser = new();
    private readonly LoopbackChannel _channel;
    private readonly Channel<(SipMessage Message, IPEndPoint From)> _inbox = Channel.CreateUnbounded<(SipMessage, IPEndPoint)>();
    private readonly List<(SipMessage Message, IPEndPoint From)> _held = [];
    private readonly List<SipMessage> _received = [];

    public LoopbackPhone(LoopbackNetwork network, IPEndPoint local)
    {
        _channel = network.CreateChannel(local);
        _channel.Start(this);
    }

    /// <summary>Where this phone is on the in-memory network (its Via and Contact).</summary>
    public IPEndPoint EndPoint => _channel.LocalEndPoint;

    /// <summary>Everything received so far, in order.</summary>
    public IReadOnlyList<SipMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Sends a message written as text (its non-empty lines joined with CRLF; Content-Length computed).</summary>
    public ValueTask SendAsync(IPEndPoint to, string head, string body = "")
    {
        string lines = string.Join("\r\n", head.ReplaceLineEndings("\n").Split('\n').Where(l => l.Trim().Length > 0));
        string text = lines + "\r\nContent-Length: " + Encoding.UTF8.GetByteCount(body) + "\r\n\r\n" + body;
        return _channel.SendAsync(to, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Answers <paramref name="request"/> (received from <paramref name="to"/>) with a response built from it.</summary>
    public ValueTask RespondAsync(SipRequest request, IPEndPoint to, int status, string? toTag = null, string? contact = null, string? sdp = null)
    {
        SipResponse response = SipResponseFactory.CreateResponse(request, status, toTag: toTag);
        if (contact is not null)
        {
            response.Headers.Add(HeaderId.Contact, contact);
        }

        if (sdp is not null)
        {
            response.SetBody(Encoding.UTF8.GetBytes(sdp.ReplaceLineEndings("\r\n")), "application/sdp");
        }

        return _channel.SendAsync(to, response.ToBytes());
    }

    /// <summary>The next response to the request with <paramref name="cseqMethod"/> and a final status (provisionals are skipped), or any status when <paramref name="final"/> is false.</summary>
    /// <remarks>
    /// With <paramref name="branch"/>, only a response of that transaction (its top Via's branch,
    /// RFC 3261 §17.1.3): a retransmission of an earlier transaction's final response (Timer G,
    /// when the ACK was slow) is skipped, as a phone's transaction layer would.
    /// </remarks>
    public async Task<SipResponse> ResponseAsync(string cseqMethod, bool final = true, string? branch = null) =>
        (SipResponse)(await NextAsync(m => m is SipResponse r && r.CSeq?.Method == cseqMethod && (!final || r.IsFinal) && (branch is null || r.TopVia?.Branch == branch)).ConfigureAwait(false)).Message;

    /// <summary>The next request of <paramref name="method"/>, and where it came from.</summary>
    public async Task<(SipRequest Request, IPEndPoint From)> RequestAsync(string method)
    {
        var (message, from) = await NextAsync(m => m is SipRequest r && r.Method == method).ConfigureAwait(false);
        return ((SipRequest)message, from);
    }

    /// <summary>Waits for the next request of <paramref name="method"/> and answers 200 (a BYE in these tests).</summary>
    public async Task<SipRequest> AnswerOkAsync(string method)
    {
        var (request, from) = await RequestAsync(method).ConfigureAwait(false);
        await RespondAsync(request, from, 200).ConfigureAwait(false);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        await _channel.DisposeAsync().ConfigureAwait(false);
    }

    void ISipChannelReceiver.OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
    {
        SipMessage parsed = Parser.Parse(message);
        lock (_received)
        {
            _received.Add(parsed);
        }

        _inbox.Writer.TryWrite((parsed, remote));
    }

    void ISipChannelReceiver.OnFramingError(ISipChannel channel, IPEndPoint remote, string reason)
    {
    }

    /// <summary>The first message (held back or arriving within 5 s) that <paramref name="match"/> accepts; the others stay held, in order.</summary>
    private async Task<(SipMessage Message, IPEndPoint From)> NextAsync(Func<SipMessage, bool> match)
    {
        int index = _held.FindIndex(h => match(h.Message));
        if (index >= 0)
        {
            var held = _held[index];
            _held.RemoveAt(index);
            return held;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (true)
            {
                var next = await _inbox.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (match(next.Message))
                {
                    return next;
                }

                _held.Add(next);
            }
        }
        catch (OperationCanceledException)
        {
            string seen = string.Join("\n", Received.Select(m => m is SipResponse r ? $"{r.StatusCode} {r.CSeq}" : ((SipRequest)m).Method));
            throw new TimeoutException($"{EndPoint}: the awaited message did not come within 5 s; received:\n{seen}");
        }
    }
}
