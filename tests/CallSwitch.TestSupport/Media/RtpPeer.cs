using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CallSwitch.TestSupport.Media;

/// <summary>
/// A phone's or a carrier's RTP end point on loopback for tests: sends 20 ms packets with a
/// payload of the test's choosing and records every packet it receives, with its arrival time.
/// </summary>
/// <remarks>
/// Sending and receiving run on threads of their own, like a phone's audio threads: on the
/// thread pool of a busy test process they waited behind the tests' own work, so a peer sent in
/// bursts and stamped packets late, and the tests measured the test host, not the switch.
/// </remarks>
public sealed class RtpPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<ReceivedRtp> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _receiveLoop;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(int PayloadType, byte EventCode)> _events = new();
    private readonly TaskCompletionSource<IPEndPoint> _firstSender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _sendLoop;
    private bool _closed;

    /// <summary>
    /// Sends a DTMF key press (RFC 4733) in the stream instead of audio: six packets 20 ms apart
    /// sharing one timestamp, the last three with the end bit (the end is sent three times, §2.5.1.4).
    /// </summary>
    public void QueueTelephoneEvent(int payloadType, byte eventCode) => _events.Enqueue((payloadType, eventCode));

    public RtpPeer()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiveLoop = new Thread(ReceiveLoop) { IsBackground = true, Name = "rtp-peer-receive" };
        _receiveLoop.Start();
    }

    /// <summary>The port written in this peer's SDP.</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>
    /// Where the first packet came from: with symmetric RTP, the far end's own port (a switch's relay
    /// leg), for a test that does not see the far end's SDP.
    /// </summary>
    public Task<IPEndPoint> FirstSender => _firstSender.Task;

    /// <summary>Packets sent so far.</summary>
    public int Sent { get; private set; }

    /// <summary>A copy of what was received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRtp> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    /// <summary>Starts sending one packet every 20 ms to <paramref name="to"/>: payload type <paramref name="payloadType"/>, payload from <paramref name="payload"/>(index).</summary>
    public void StartSending(IPEndPoint to, int payloadType, Func<int, byte[]> payload, uint ssrc = 0x1234ABCD) =>
        StartSending(to, i => (payloadType, payload(i)), ssrc);

    /// <summary>Starts sending one packet every 20 ms, each with the payload type and payload <paramref name="frame"/>(index) gives.</summary>
    public void StartSending(IPEndPoint to, Func<int, (int PayloadType, byte[] Payload)> frame, uint ssrc = 0x1234ABCD)
    {
        CancellationToken stop = _stop.Token;
        _sendLoop = new Thread(() =>
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            ushort seq = 1000;
            uint timestamp = 160_000;
            int eventPacket = -1;
            (int PayloadType, byte EventCode) current = default;
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                (int payloadType, byte[] body) = frame(i);
                if (eventPacket < 0 && _events.TryDequeue(out current))
                {
                    eventPacket = 0;
                }

                if (eventPacket >= 0)
                {
                    ushort duration = (ushort)(160 * Math.Min(eventPacket + 1, 3));
                    bool end = eventPacket >= 3;
                    payloadType = current.PayloadType;
                    body = [current.EventCode, (byte)((end ? 0x80 : 0) | 10), (byte)(duration >> 8), (byte)duration];
                    eventPacket++;
                }

                byte[] packet = new byte[12 + body.Length];
                packet[0] = 0x80;
                packet[1] = (byte)(payloadType | (i == 0 ? 0x80 : 0));
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq++);
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
                body.CopyTo(packet, 12);
                if (eventPacket is < 0 or >= 6)
                {
                    // An event's packets share the timestamp of its start (RFC 4733 §2.3.1).
                    timestamp += eventPacket >= 6 ? (uint)(160 * 6) : 160;
                    eventPacket = -1;
                }

                try
                {
                    _socket.SendTo(packet, SocketFlags.None, to);
                    Sent++;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // The far end may be gone at the end of a call.
                }

                // Packet i + 1 is due 20 ms × (i + 1) after the first: late wake-ups do not add up.
                TimeSpan wait = TimeSpan.FromMilliseconds(20 * (i + 1)) - System.Diagnostics.Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero && stop.WaitHandle.WaitOne(wait))
                {
                    return;
                }
            }
        })
        { IsBackground = true, Name = "rtp-peer-send" };
        _sendLoop.Start();
    }

    /// <summary>Stops sending.</summary>
    public async Task StopSendingAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Thread? sender = _sendLoop;
        if (sender is not null)
        {
            await Task.Run(() => sender.Join()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopSendingAsync().ConfigureAwait(false);
        Volatile.Write(ref _closed, true);
        _socket.Dispose();
        await Task.Run(() => _receiveLoop.Join()).ConfigureAwait(false);
        _stop.Dispose();
    }

    private void ReceiveLoop()
    {
        byte[] buffer = new byte[2048];
        while (true)
        {
            int n;
            try
            {
                // A closed socket does not always wake a blocked receive: look at the stop every 100 ms.
                if (!_socket.Poll(100_000, SelectMode.SelectRead))
                {
                    if (Volatile.Read(ref _closed))
                    {
                        _firstSender.TrySetCanceled();
                        return;
                    }

                    continue;
                }

                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                n = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
                _firstSender.TrySetResult((IPEndPoint)from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _firstSender.TrySetCanceled();
                return;
            }

            if (n < 12 || (buffer[1] & 0x7F) is >= 72 and <= 76)
            {
                continue;
            }

            var packet = new ReceivedRtp(
                buffer[1] & 0x7F,
                (buffer[1] & 0x80) != 0,
                BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)),
                BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)),
                BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)),
                buffer.AsSpan(12, n - 12).ToArray());
            lock (_received)
            {
                _received.Add(packet);
            }
        }
    }
}
