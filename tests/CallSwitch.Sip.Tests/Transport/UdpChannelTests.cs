using System.Net;
using System.Net.Sockets;
using System.Text;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;

namespace CallSwitch.Sip.Tests.Transport;

public class UdpChannelTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task RoundTripOnLoopback(string address)
    {
        // No skip for IPv6: a machine without ::1 must fail this test loudly.
        IPAddress ip = IPAddress.Parse(address);
        await using var a = new UdpChannel(new IPEndPoint(ip, 0));
        await using var b = new UdpChannel(new IPEndPoint(ip, 0));
        var atA = new TransportChannelRecorder();
        var atB = new TransportChannelRecorder();
        a.Start(atA);
        b.Start(atB);
        Assert.NotEqual(0, a.LocalEndPoint.Port);

        byte[] ping = Encoding.ASCII.GetBytes(SipStreamFramerTests.Options);
        await a.SendAsync(b.LocalEndPoint, ping);
        var got = await atB.NextAsync();
        Assert.Same(b, got.Channel);
        Assert.Equal(a.LocalEndPoint, got.Remote);
        Assert.Equal(ping, got.Data);

        await b.SendAsync(got.Remote, "pong"u8.ToArray());
        var back = await atA.NextAsync();
        Assert.Equal("pong", Encoding.ASCII.GetString(back.Data));
        Assert.Equal(b.LocalEndPoint, back.Remote);
    }

    [Fact]
    public async Task EachDatagramIsItsOwnExactSizeArray()
    {
        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var receiver = new OwnershipCheckingReceiver();
        b.Start(receiver);
        a.Start(new TransportChannelRecorder());

        await a.SendAsync(b.LocalEndPoint, new byte[] { 1, 2, 3 });
        await a.SendAsync(b.LocalEndPoint, new byte[] { 4, 5 });
        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();

        // Two receive threads may hand them over in either order.
        Assert.Equal(["1,2,3", "4,5"], new[] { string.Join(',', first), string.Join(',', second) }.Order());
    }

    [Fact]
    public async Task SeveralReceiveThreadsShareTheSocketAndHandOverEveryDatagramOnce()
    {
        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0), new UdpChannelOptions { ReceiveThreads = 3 });
        var receiver = new TransportChannelRecorder();
        b.Start(receiver);
        Assert.Equal(3, ThreadNames().Count(n => n == "sip udp " + b.LocalEndPoint.Port));

        // In bursts of 50, each read before the next is sent: a socket buffer of the kernel's
        // default size never overflows (loopback drops what does not fit).
        const int Datagrams = 500;
        var received = new List<string>();
        for (int i = 0; i < Datagrams; i++)
        {
            await a.SendAsync(b.LocalEndPoint, Encoding.ASCII.GetBytes("datagram " + i));
            if (i % 50 == 49)
            {
                for (int j = 0; j < 50; j++)
                {
                    var got = await receiver.NextAsync();
                    Assert.Equal(a.LocalEndPoint, got.Remote);
                    received.Add(Encoding.ASCII.GetString(got.Data));
                }
            }
        }

        Assert.Equal(Enumerable.Range(0, Datagrams).Select(i => "datagram " + i).Order(), received.Order());
        Assert.True(await receiver.StaysQuietAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(0, b.ReceiveErrors);
    }

    [Fact]
    public async Task ReceiveLoopSurvivesPortUnreachable()
    {
        // A send to a closed port makes the kernel report ICMP port unreachable; the loop must go on.
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var atA = new TransportChannelRecorder();
        a.Start(atA);
        b.Start(new TransportChannelRecorder());

        for (int i = 0; i < 5; i++)
        {
            try
            {
                await a.SendAsync(new IPEndPoint(IPAddress.Loopback, closedPort), "lost"u8.ToArray());
            }
            catch (SipTransportException)
            {
                // Some kernels report the earlier ICMP error on the next send: that is a send error, not a dead channel.
            }

            await Task.Delay(10);
        }

        await b.SendAsync(a.LocalEndPoint, "alive"u8.ToArray());
        var got = await atA.NextAsync();
        Assert.Equal("alive", Encoding.ASCII.GetString(got.Data));
    }

    [Fact]
    public async Task SendToOtherAddressFamilyIsATransportError()
    {
        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        a.Start(new TransportChannelRecorder());

        await Assert.ThrowsAsync<SipTransportException>(async () => await a.SendAsync(new IPEndPoint(IPAddress.IPv6Loopback, 5060), "x"u8.ToArray()));
    }

    [Fact]
    public async Task BindingAPortInUseIsATransportError()
    {
        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Throws<SipTransportException>(() => new UdpChannel(a.LocalEndPoint));
    }

    [Fact]
    public async Task SendAfterDisposeIsATransportError()
    {
        var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        a.Start(new TransportChannelRecorder());
        await a.DisposeAsync();

        await Assert.ThrowsAsync<SipTransportException>(async () => await a.SendAsync(new IPEndPoint(IPAddress.Loopback, 5060), "x"u8.ToArray()));
    }

    [Fact]
    public async Task AReceiverThatThrowsLosesOneDatagramNotTheChannel()
    {
        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var receiver = new ThrowingOnceReceiver();
        b.Start(receiver);

        // The receive loop is a thread of the channel's own: an exception escaping it would end the process.
        await a.SendAsync(b.LocalEndPoint, "first"u8.ToArray());
        await a.SendAsync(b.LocalEndPoint, "second"u8.ToArray());

        Assert.Equal("second", Encoding.ASCII.GetString((await receiver.Recorder.NextAsync()).Data));
        Assert.Equal(1, b.ReceiveErrors);
    }

    [Fact]
    public async Task OneCallsDatagramsAreHandedOverInOrderOneAtATimeWhileAnotherCallsGoOn()
    {
        await using var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0), new UdpChannelOptions { ReceiveThreads = 4 });
        var receiver = new SlowCallReceiver();
        b.Start(receiver);

        // Call "slow": its first datagram is held by the receiver until call "fast" has gone
        // through: another thread must handle it meanwhile. Then 100 more datagrams of "slow",
        // which must come one at a time and in their order, whichever thread reads them.
        await a.SendAsync(b.LocalEndPoint, SlowCallReceiver.Datagram("slow", 0));
        Assert.True(receiver.SlowStarted.Wait(TimeSpan.FromSeconds(5)), "the first datagram never reached the receiver");
        for (int i = 0; i < 5; i++)
        {
            await a.SendAsync(b.LocalEndPoint, SlowCallReceiver.Datagram("fast", i));
        }

        for (int i = 1; i <= 100; i++)
        {
            await a.SendAsync(b.LocalEndPoint, SlowCallReceiver.Datagram("slow", i));
        }

        Assert.True(receiver.FastDone.Wait(TimeSpan.FromSeconds(5)), "call fast was held up behind call slow");
        receiver.ReleaseSlow.Set();
        Assert.True(receiver.AllSlow.Wait(TimeSpan.FromSeconds(10)), $"call slow: {receiver.SlowSeen} of 101 datagrams");
        Assert.Equal(Enumerable.Range(0, 101), receiver.SlowOrder);
        Assert.Equal(1, receiver.MaxSlowAtOnce);
    }

    [Fact]
    public async Task DisposeEndsEveryReceiveThread()
    {
        var a = new UdpChannel(new IPEndPoint(IPAddress.Loopback, 0), new UdpChannelOptions { ReceiveThreads = 2 });
        a.Start(new TransportChannelRecorder());
        string name = "sip udp " + a.LocalEndPoint.Port;
        Assert.Contains(name, ThreadNames());

        // Bounded: a receive that closing the socket did not interrupt would still end at its next timeout.
        await a.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // The loop has said it ended; the thread itself is gone a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ThreadNames().Contains(name) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.DoesNotContain(name, ThreadNames());
    }

    private static List<string> ThreadNames()
    {
        var names = new List<string>();
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).Trim());
            }
            catch (IOException)
            {
                // That thread (another test's) ended between the listing and the read.
            }
        }

        return names;
    }

    /// <summary>Records call "slow"'s datagrams in the order handed over (holding the first until released) and counts call "fast"'s.</summary>
    private sealed class SlowCallReceiver : ISipChannelReceiver
    {
        private readonly List<int> _slow = [];
        private int _slowAtOnce;
        private int _fast;

        public ManualResetEventSlim SlowStarted { get; } = new();

        public ManualResetEventSlim ReleaseSlow { get; } = new();

        public ManualResetEventSlim FastDone { get; } = new();

        public ManualResetEventSlim AllSlow { get; } = new();

        public int MaxSlowAtOnce { get; private set; }

        public int SlowSeen
        {
            get
            {
                lock (_slow)
                {
                    return _slow.Count;
                }
            }
        }

        public List<int> SlowOrder
        {
            get
            {
                lock (_slow)
                {
                    return [.. _slow];
                }
            }
        }

        public static byte[] Datagram(string call, int n) =>
            Encoding.ASCII.GetBytes($"MESSAGE sip:a@b SIP/2.0\r\nCall-ID: {call}\r\nCSeq: {n + 1} MESSAGE\r\n\r\n");

        public void OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
        {
            string text = Encoding.ASCII.GetString(message.Span);
            int n = int.Parse(text.Split("CSeq: ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) - 1;
            if (text.Contains("Call-ID: fast", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref _fast) == 5)
                {
                    FastDone.Set();
                }

                return;
            }

            int atOnce = Interlocked.Increment(ref _slowAtOnce);
            lock (_slow)
            {
                MaxSlowAtOnce = Math.Max(MaxSlowAtOnce, atOnce);
            }

            if (n == 0)
            {
                SlowStarted.Set();
                ReleaseSlow.Wait(TimeSpan.FromSeconds(10));
            }

            Thread.SpinWait(Random.Shared.Next(0, 2000));
            Interlocked.Decrement(ref _slowAtOnce);
            lock (_slow)
            {
                _slow.Add(n);
                if (_slow.Count == 101)
                {
                    AllSlow.Set();
                }
            }
        }

        public void OnFramingError(ISipChannel channel, IPEndPoint remote, string reason)
        {
        }
    }

    private sealed class ThrowingOnceReceiver : ISipChannelReceiver
    {
        private int _calls;

        public TransportChannelRecorder Recorder { get; } = new();

        public void OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new InvalidOperationException("a receiver's bug");
            }

            Recorder.OnMessageReceived(channel, remote, message);
        }

        public void OnFramingError(ISipChannel channel, IPEndPoint remote, string reason)
        {
        }
    }

    private sealed class OwnershipCheckingReceiver : ISipChannelReceiver
    {
        private readonly System.Threading.Channels.Channel<byte[]> _queue = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();

        public void OnMessageReceived(ISipChannel channel, IPEndPoint remote, ReadOnlyMemory<byte> message)
        {
            // Ownership passes: keep the memory itself, no copy; it must be a whole array of the datagram's size.
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message, out ArraySegment<byte> segment));
            Assert.Equal(0, segment.Offset);
            Assert.Equal(segment.Array!.Length, segment.Count);
            _queue.Writer.TryWrite(segment.Array);
        }

        public void OnFramingError(ISipChannel channel, IPEndPoint remote, string reason)
        {
        }

        public async Task<byte[]> NextAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await _queue.Reader.ReadAsync(cts.Token);
        }
    }
}
