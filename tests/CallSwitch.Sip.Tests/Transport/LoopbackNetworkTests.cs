using System.Net;
using System.Text;
using CallSwitch.Sip.Transport;
using CallSwitch.Sip.Transport.Loopback;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Transport;

public class LoopbackNetworkTests
{
    [Fact]
    public async Task DeliversWithTheSendersEndPoint()
    {
        using var network = new LoopbackNetwork();
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        await using var b = network.CreateChannel("10.0.0.2", 5060);
        var atB = new TransportChannelRecorder();
        a.Start(new TransportChannelRecorder());
        b.Start(atB);

        byte[] data = "hello"u8.ToArray();
        await a.SendAsync(b.LocalEndPoint, data);
        data[0] = (byte)'j';

        var got = await atB.NextAsync();
        Assert.Equal(a.LocalEndPoint, got.Remote);
        Assert.Equal("hello", Encoding.ASCII.GetString(got.Data));
    }

    [Fact]
    public async Task PortZeroPicksAFreeFakePort()
    {
        using var network = new LoopbackNetwork();
        await using var a = network.CreateChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = network.CreateChannel(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.NotEqual(0, a.LocalEndPoint.Port);
        Assert.NotEqual(a.LocalEndPoint, b.LocalEndPoint);
        Assert.Throws<SipTransportException>(() => network.CreateChannel(a.LocalEndPoint));
    }

    [Fact]
    public async Task DelayRunsOnFakeTime()
    {
        var time = new FakeTimeProvider();
        using var network = new LoopbackNetwork(time) { Options = new LoopbackLinkOptions { Delay = TimeSpan.FromMilliseconds(100) } };
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        await using var b = network.CreateChannel("10.0.0.2", 5060);
        var atB = new TransportChannelRecorder();
        b.Start(atB);

        await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, atB.Count);

        // Timer callbacks run inside Advance: the message is there when it returns.
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, atB.Count);
    }

    [Fact]
    public async Task DropEverythingOrSomeWithASeed()
    {
        using var network = new LoopbackNetwork(seed: 42) { DeliverInline = true, Options = new LoopbackLinkOptions { DropProbability = 1 } };
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        await using var b = network.CreateChannel("10.0.0.2", 5060);
        var atB = new TransportChannelRecorder();
        b.Start(atB);

        for (int i = 0; i < 10; i++)
        {
            await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());
        }

        Assert.Equal(0, atB.Count);
        Assert.Equal(10, network.Dropped);

        // Per-channel options override the network's.
        a.Options = new LoopbackLinkOptions { DropProbability = 0.5 };
        for (int i = 0; i < 1000; i++)
        {
            await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());
        }

        Assert.InRange(atB.Count, 400, 600);
        Assert.Equal(1010, network.Sent);
        Assert.Equal(1010, network.Dropped + network.Delivered);
    }

    [Fact]
    public async Task SameSeedSameLosses()
    {
        static async Task<int> RunAsync()
        {
            using var network = new LoopbackNetwork(seed: 7) { DeliverInline = true, Options = new LoopbackLinkOptions { DropProbability = 0.3 } };
            await using var a = network.CreateChannel("10.0.0.1", 5060);
            await using var b = network.CreateChannel("10.0.0.2", 5060);
            var atB = new TransportChannelRecorder();
            b.Start(atB);
            for (int i = 0; i < 200; i++)
            {
                await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());
            }

            return atB.Count;
        }

        Assert.Equal(await RunAsync(), await RunAsync());
    }

    [Fact]
    public async Task DuplicationDeliversTwoCopies()
    {
        using var network = new LoopbackNetwork { DeliverInline = true, Options = new LoopbackLinkOptions { DuplicateProbability = 1 } };
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        await using var b = network.CreateChannel("10.0.0.2", 5060);
        var atB = new TransportChannelRecorder();
        b.Start(atB);

        await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());

        Assert.Equal(2, atB.Count);
        Assert.True(atB.TryTake(out var first));
        Assert.True(atB.TryTake(out var second));
        Assert.NotSame(first.Data, second.Data);
        Assert.Equal(1, network.Duplicated);
    }

    [Fact]
    public async Task FailingLinkThrowsTransportError()
    {
        using var network = new LoopbackNetwork();
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        await using var b = network.CreateChannel("10.0.0.2", 5060);
        a.Options = new LoopbackLinkOptions { FailSends = true };

        await Assert.ThrowsAsync<SipTransportException>(async () => await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray()));

        // b's link is fine.
        await b.SendAsync(a.LocalEndPoint, "x"u8.ToArray());
    }

    [Fact]
    public async Task UnreliableToNowhereIsLostReliableToNowhereIsRefused()
    {
        using var network = new LoopbackNetwork();
        await using var udp = network.CreateChannel("10.0.0.1", 5060);
        await using var tcp = network.CreateChannel("10.0.0.1", 5060, SipProtocol.Tcp);
        var nowhere = new IPEndPoint(IPAddress.Parse("10.9.9.9"), 5060);

        await udp.SendAsync(nowhere, "x"u8.ToArray());
        Assert.Equal(1, network.Dropped);
        await Assert.ThrowsAsync<SipTransportException>(async () => await tcp.SendAsync(nowhere, "x"u8.ToArray()));
    }

    [Fact]
    public async Task ReliableKeepsOrderAndIgnoresLoss()
    {
        var time = new FakeTimeProvider();
        using var network = new LoopbackNetwork(time)
        {
            Options = new LoopbackLinkOptions { DropProbability = 1, DuplicateProbability = 1, Delay = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(50) },
        };
        await using var a = network.CreateChannel("10.0.0.1", 5060, SipProtocol.Tcp);
        await using var b = network.CreateChannel("10.0.0.2", 5060, SipProtocol.Tcp);
        var atB = new TransportChannelRecorder();
        b.Start(atB);

        for (int i = 0; i < 10; i++)
        {
            await a.SendAsync(b.LocalEndPoint, new[] { (byte)i });
        }

        time.Advance(TimeSpan.FromMilliseconds(20));
        for (int i = 0; i < 10; i++)
        {
            Assert.True(atB.TryTake(out var got));
            Assert.Equal(i, got.Data[0]);
        }

        Assert.False(atB.TryTake(out _));
    }

    [Fact]
    public async Task JitterReordersDatagramsOnFakeTime()
    {
        var time = new FakeTimeProvider();
        using var network = new LoopbackNetwork(time, seed: 1) { Options = new LoopbackLinkOptions { Delay = TimeSpan.FromMilliseconds(10), Jitter = TimeSpan.FromMilliseconds(100) } };
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        await using var b = network.CreateChannel("10.0.0.2", 5060);
        var atB = new TransportChannelRecorder();
        b.Start(atB);

        for (int i = 0; i < 20; i++)
        {
            await a.SendAsync(b.LocalEndPoint, new[] { (byte)i });
        }

        for (int ms = 0; ms < 120; ms++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var order = new List<int>();
        while (atB.TryTake(out var got))
        {
            order.Add(got.Data[0]);
        }

        Assert.Equal(20, order.Count);
        Assert.NotEqual(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public async Task NotStartedOrClosedChannelLosesArrivals()
    {
        using var network = new LoopbackNetwork { DeliverInline = true };
        await using var a = network.CreateChannel("10.0.0.1", 5060);
        var b = network.CreateChannel("10.0.0.2", 5060);

        await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());
        Assert.Equal(1, network.Dropped);

        await b.DisposeAsync();
        await a.SendAsync(b.LocalEndPoint, "x"u8.ToArray());
        Assert.Equal(2, network.Dropped);
        await Assert.ThrowsAsync<SipTransportException>(async () => await b.SendAsync(a.LocalEndPoint, "x"u8.ToArray()));
    }
}
