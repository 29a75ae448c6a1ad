using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// The media of a built-in party: an RTP socket on loopback (a free port) that sends a steady
/// tone, one 20 ms packet at a time in the negotiated codec, and keeps every packet it receives.
/// </summary>
/// <remarks>
/// Sender and receiver run on two dedicated threads, never on the thread pool: a busy pool must
/// not stall a party's packets and make the switch look wrong. The receiver's list is read under
/// its lock by the self-test's thread.
/// </remarks>
internal sealed class RtpParty : IDisposable
{
    /// <summary>The tone's peak: −12 dBFS, loud and far from clipping in every codec.</summary>
    public const short Amplitude = 8000;

    private const int HeaderLength = 12;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly Socket _socket;
    private readonly Thread _receiver;
    private readonly List<ReceivedFrame> _received = [];
    private readonly string _name;
    private volatile bool _stopped;
    private Thread? _sender;

    /// <summary>Binds a socket on 127.0.0.1 at a free port and starts receiving.</summary>
    public RtpParty(string name)
    {
        _name = name;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 100 };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiver = new Thread(Receive) { IsBackground = true, Name = $"selftest {name} rtp in" };
        _receiver.Start();
    }

    /// <summary>The port written in this party's SDP.</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>A copy of what was received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedFrame> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Starts sending a sine of <paramref name="hz"/> to <paramref name="to"/> every 20 ms, encoded as <paramref name="codec"/> under <paramref name="payloadType"/>.</summary>
    public void StartSending(IPEndPoint to, AudioCodecInfo codec, int payloadType, double hz)
    {
        IAudioEncoder encoder = CodecRegistry.Default.CreateEncoder(codec);
        _sender = new Thread(() => Send(to, codec, encoder, payloadType, hz)) { IsBackground = true, Name = $"selftest {_name} rtp out" };
        _sender.Start();
    }

    /// <summary>Closes the socket and stops both threads.</summary>
    public void Dispose()
    {
        // Closing the socket first wakes the receiver at once: the joins wait a few milliseconds at most.
        _stopped = true;
        _socket.Dispose();
        _sender?.Join(TimeSpan.FromSeconds(1));
        _receiver.Join(TimeSpan.FromSeconds(1));
    }

    private void Send(IPEndPoint to, AudioCodecInfo codec, IAudioEncoder encoder, int payloadType, double hz)
    {
        var pcm = new short[codec.SamplesPerFrame];
        var packet = new byte[HeaderLength + encoder.GetPayloadLength(pcm.Length)];
        uint ssrc = (uint)Random.Shared.Next();
        ushort sequence = (ushort)Random.Shared.Next();
        uint timestamp = (uint)Random.Shared.Next();
        long sample = 0;
        var clock = Stopwatch.StartNew();
        for (int frame = 0; !_stopped; frame++)
        {
            for (int i = 0; i < pcm.Length; i++, sample++)
            {
                pcm[i] = (short)Math.Round(Amplitude * Math.Sin(2 * Math.PI * hz * sample / codec.SampleRate));
            }

            packet[0] = 0x80;
            packet[1] = (byte)(payloadType | (frame == 0 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
            int length = encoder.Encode(pcm, packet.AsSpan(HeaderLength));
            timestamp += (uint)codec.RtpTimestampPerFrame;
            try
            {
                _socket.SendTo(packet.AsSpan(0, HeaderLength + length), SocketFlags.None, to);
            }
            catch (SocketException)
            {
                // The relay's port may be closed already at the end of the call.
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            // Paced against the start, not the previous packet, so that late wake-ups do not add up.
            TimeSpan wait = (Interval * (frame + 1)) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
        }
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        while (!_stopped)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                // The receive timeout: look at the stop flag again.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            // RTCP (payload types 72–76 once the marker bit is masked) is not audio.
            if (n < HeaderLength || (buffer[0] & 0xC0) != 0x80 || (buffer[1] & 0x7F) is >= 72 and <= 76)
            {
                continue;
            }

            var frame = new ReceivedFrame(buffer[1] & 0x7F, buffer.AsSpan(HeaderLength, n - HeaderLength).ToArray());
            lock (_received)
            {
                _received.Add(frame);
            }
        }
    }
}
