using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;

namespace CallSwitch.TestSupport;

/// <summary>
/// An <see cref="ISipTransport"/> that records what is sent instead of sending it. Each message
/// is serialised and parsed back, so tests see the wire form. Sends can be made to fail.
/// Thread-safe; completes synchronously.
/// </summary>
public sealed class FakeSipTransport : ISipTransport
{
    private static readonly SipMessageParser Parser = new();
    private readonly object _sync = new();
    private readonly List<SentMessage> _sent = [];

    /// <summary>When set, a send for which it returns true fails with <see cref="SipTransportException"/> (and is not recorded).</summary>
    public Func<SipMessage, SipFlow, bool>? FailWhen { get; set; }

    /// <summary>Every message sent, in order.</summary>
    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (_sync)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>The requests sent with this method, parsed from their wire form.</summary>
    public List<SipRequest> Requests(string method) =>
        [.. Sent.Select(s => s.Message).OfType<SipRequest>().Where(r => r.Method == method)];

    /// <summary>The responses sent with this status code, parsed from their wire form.</summary>
    public List<SipResponse> Responses(int statusCode) =>
        [.. Sent.Select(s => s.Message).OfType<SipResponse>().Where(r => r.StatusCode == statusCode)];

    /// <summary>Forgets what was sent.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _sent.Clear();
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(SipMessage message, SipFlow flow, CancellationToken cancellationToken = default)
    {
        if (FailWhen?.Invoke(message, flow) == true)
        {
            return ValueTask.FromException(new SipTransportException($"Simulated failure sending to {flow.Remote}."));
        }

        byte[] bytes = message.ToBytes();
        var parsed = Parser.Parse(bytes);
        lock (_sync)
        {
            _sent.Add(new SentMessage(parsed, flow, bytes));
        }

        return ValueTask.CompletedTask;
    }
}
