using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Relay;

public class RtpPortAllocatorTests
{
    [Fact]
    public void AllocatesEvenRtpAndNextOddRtcpPort()
    {
        (int min, int max) = TestPortRanges.Next();
        var allocator = new RtpPortAllocator(min + 1, max);
        using RtpSocketPair pair = allocator.Allocate(IPAddress.Loopback);
        Assert.Equal(0, pair.RtpPort % 2);
        Assert.True(pair.RtpPort >= min + 1 && pair.RtcpPort <= max);
        Assert.Equal(pair.RtpPort, ((IPEndPoint)pair.Rtp.LocalEndPoint!).Port);
        Assert.Equal(pair.RtpPort + 1, ((IPEndPoint)pair.Rtcp.LocalEndPoint!).Port);
        Assert.Equal(1, allocator.Allocated);
    }

    [Fact]
    public void FailsClearlyWhenExhaustedAndReusesReleasedPorts()
    {
        (int min, _) = TestPortRanges.Next();
        var allocator = new RtpPortAllocator(min, min + 3);
        Assert.Equal(2, allocator.Capacity);
        RtpSocketPair first = allocator.Allocate(IPAddress.Loopback);
        using RtpSocketPair second = allocator.Allocate(IPAddress.Loopback);
        var error = Assert.Throws<PortRangeExhaustedException>(() => allocator.Allocate(IPAddress.Loopback));
        Assert.Contains($"{min}-{min + 3}", error.Message, StringComparison.Ordinal);

        first.Dispose();
        first.Dispose(); // twice is harmless
        Assert.Equal(1, allocator.Allocated);
        using RtpSocketPair third = allocator.Allocate(IPAddress.Loopback);
        Assert.Equal(first.RtpPort, third.RtpPort);
    }

    [Fact]
    public void SkipsPairsThatCannotBeBound()
    {
        (int min, _) = TestPortRanges.Next();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, min + 1)); // the RTCP port of the first pair
        var allocator = new RtpPortAllocator(min, min + 5);
        using RtpSocketPair pair = allocator.Allocate(IPAddress.Loopback);
        Assert.Equal(min + 2, pair.RtpPort);
        Assert.Equal(1, allocator.Allocated);
    }

    [Fact]
    public void ParallelAllocationsGetDistinctPorts()
    {
        (int min, int max) = TestPortRanges.Next();
        var allocator = new RtpPortAllocator(min, max);
        var pairs = new RtpSocketPair[40];
        Parallel.For(0, pairs.Length, i => pairs[i] = allocator.Allocate(IPAddress.Loopback));
        try
        {
            Assert.Equal(pairs.Length, pairs.Select(p => p.RtpPort).Distinct().Count());
            Assert.Equal(pairs.Length, allocator.Allocated);
        }
        finally
        {
            foreach (RtpSocketPair pair in pairs)
            {
                pair.Dispose();
            }
        }

        Assert.Equal(0, allocator.Allocated);
    }

    [Fact]
    public void RejectsARangeWithoutAPair()
    {
        Assert.Throws<ArgumentException>(() => new RtpPortAllocator(30001, 30002));
    }
}
