using System.Net;
using System.Net.Sockets;
using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;

namespace CallSwitch.TestSupport.Sip;

/// <summary>
/// A bare SIP peer on loopback for tests that need to send exactly the bytes they want
/// (malformed ones included) and read what comes back. UDP, or TCP over one connection.
/// </summary>
public sealed class RawSipClient : IAsyncDisposable
{
    private static readonly SipMessageParser Parser = new();
    private readonly Socket _socket;
    private readonly SipProtocol _protocol;
    private readonly IPEndPoint _server;
    private readonly SipStreamFramer? _framer;
    private readonly Queue<byte[]> _frames = new();

    private RawSipClient(Socket socket, SipProtocol protocol, IPEndPoint server)
    {
        _socket = socket;
        _protocol = protocol;
        _server = server;
        if (protocol == SipProtocol.Tcp)
        {
            _framer = new SipStreamFramer(SipParserLimits.Default);
        }
    }

    /// <summary>Our local end point (for Via and Contact).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>"UDP" or "TCP", for Via.</summary>
    public string Transport => _protocol == SipProtocol.Tcp ? "TCP" : "UDP";

    /// <summary>Opens a client to <paramref name="server"/>.</summary>
    public static async Task<RawSipClient> ConnectAsync(IPEndPoint server, SipProtocol protocol)
    {
        if (protocol == SipProtocol.Tcp)
        {
            var tcp = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tcp.ConnectAsync(server, cts.Token).ConfigureAwait(false);
            return new RawSipClient(tcp, protocol, server);
        }

        var udp = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        return new RawSipClient(udp, protocol, server);
    }

    /// <summary>Sends raw bytes (a datagram, or bytes on the stream).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_protocol == SipProtocol.Tcp)
        {
            await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
        }
        else
        {
            await _socket.SendToAsync(bytes, SocketFlags.None, _server).ConfigureAwait(false);
        }
    }

    /// <summary>Sends text with <c>{local}</c> and <c>{transport}</c> replaced.</summary>
    public Task SendAsync(string text) =>
        SendAsync(Encoding.UTF8.GetBytes(text.Replace("{local}", LocalEndPoint.ToString(), StringComparison.Ordinal).Replace("{transport}", Transport, StringComparison.Ordinal)));

    /// <summary>The next message from the server, or null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SipMessage?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (_frames.TryDequeue(out byte[]? frame))
                {
                    if (Parser.TryParse(frame, out var message, out _))
                    {
                        return message;
                    }

                    continue;
                }

                if (_protocol == SipProtocol.Udp)
                {
                    byte[] buffer = new byte[65536];
                    int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
                    _frames.Enqueue(buffer[..n]);
                    continue;
                }

                Memory<byte> read = _framer!.GetReadBuffer();
                int got = await _socket.ReceiveAsync(read, SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (got == 0)
                {
                    return null;
                }

                _framer.Advance(got);
                SipStreamFrameKind kind;
                while ((kind = _framer.TryReadFrame(out byte[]? message)) is not SipStreamFrameKind.NeedMoreData and not SipStreamFrameKind.Error)
                {
                    if (kind == SipStreamFrameKind.Message)
                    {
                        _frames.Enqueue(message!);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The next response, skipping anything else, or null on timeout.</summary>
    public async Task<SipResponse?> ReceiveResponseAsync(TimeSpan timeout, Func<SipResponse, bool>? match = null)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (await ReceiveAsync(end - DateTime.UtcNow).ConfigureAwait(false) is SipResponse response && (match?.Invoke(response) ?? true))
            {
                return response;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
