using System.Net;
using System.Text;
using System.Threading.Channels;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// A SIP user agent of the self-test on the isolated switch's in-memory network: sends messages
/// written as text and hands over what arrives, in order. Messages nobody waits for yet stay
/// held until someone does. The network is lossless and in process, so neither side retransmits
/// anything the other must answer twice.
/// </summary>
/// <remarks>
/// <see cref="ISipChannelReceiver.OnMessageReceived"/> runs on the network's delivery thread and
/// only queues; one consumer at a time calls <see cref="NextAsync"/>.
/// </remarks>
internal class LoopbackUserAgent : ISipChannelReceiver, IAsyncDisposable
{
    private static readonly SipMessageParser Parser = new();
    private readonly LoopbackChannel _channel;
    private readonly Channel<(SipMessage Message, IPEndPoint From)> _inbox = Channel.CreateUnbounded<(SipMessage, IPEndPoint)>();
    private readonly List<(SipMessage Message, IPEndPoint From)> _held = [];

    public LoopbackUserAgent(LoopbackNetwork network, IPEndPoint local)
    {
        _channel = network.CreateChannel(local);
        _channel.Start(this);
    }

    /// <summary>Where this agent is on the in-memory network (its Via and Contact).</summary>
    public IPEndPoint EndPoint => _channel.LocalEndPoint;

    /// <summary>A fresh RFC 3261 branch (magic cookie first, §8.1.1.7).</summary>
    public static string Branch() => "z9hG4bK" + Guid.NewGuid().ToString("N");

    /// <summary>Sends a message written as text: its non-empty lines joined with CRLF, Content-Length computed.</summary>
    public ValueTask SendAsync(IPEndPoint to, string head, string body = "")
    {
        string lines = string.Join("\r\n", head.ReplaceLineEndings("\n").Split('\n').Where(l => l.Trim().Length > 0));
        string text = lines + "\r\nContent-Length: " + Encoding.UTF8.GetByteCount(body) + "\r\n\r\n" + body;
        return _channel.SendAsync(to, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Sends <paramref name="message"/> as built.</summary>
    public ValueTask SendAsync(IPEndPoint to, SipMessage message) => _channel.SendAsync(to, message.ToBytes());

    /// <summary>The first message, held or arriving before <paramref name="cancellationToken"/> fires, that <paramref name="match"/> accepts; the others stay held, in order.</summary>
    /// <exception cref="OperationCanceledException">Nothing matching came in time.</exception>
    public async Task<(SipMessage Message, IPEndPoint From)> NextAsync(Func<SipMessage, bool> match, CancellationToken cancellationToken)
    {
        int index = _held.FindIndex(h => match(h.Message));
        if (index >= 0)
        {
            var held = _held[index];
            _held.RemoveAt(index);
            return held;
        }

        while (true)
        {
            var next = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (match(next.Message))
            {
                return next;
            }

            _held.Add(next);
        }
    }

    /// <summary>The next final response (provisionals skipped) to a request of <paramref name="method"/> with CSeq number <paramref name="cseq"/>.</summary>
    public async Task<SipResponse> FinalResponseAsync(string method, int cseq, CancellationToken cancellationToken) =>
        (SipResponse)(await NextAsync(m => m is SipResponse { IsFinal: true, CSeq: { } c } && c.Method == method && c.Number == (uint)cseq, cancellationToken).ConfigureAwait(false)).Message;

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
            response.SetBody(Encoding.UTF8.GetBytes(sdp), "application/sdp");
        }

        return SendAsync(to, response);
    }

    public virtual async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        await _channel.DisposeAsync().ConfigureAwait(false);
    }

    void ISipChannelReceiver.OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
    {
        // The switch writes what its own parser reads; anything else is not worth a reply here.
        if (Parser.TryParse(message, out SipMessage? parsed, out _))
        {
            _inbox.Writer.TryWrite((parsed, remote));
        }
    }

    void ISipChannelReceiver.OnFramingError(ISipChannel channel, IPEndPoint remote, string reason)
    {
    }
}
