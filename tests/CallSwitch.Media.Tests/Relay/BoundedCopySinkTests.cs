using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Relay;

public class BoundedCopySinkTests
{
    private int _producersDone;

    [Fact]
    public void CopiesInOrderAndDropsWhenFull()
    {
        var sink = new BoundedCopySink(4, 64);
        for (byte i = 0; i < 6; i++)
        {
            sink.OnPacket([i, i, i], i % 2 == 0 ? MediaDirection.Received : MediaDirection.Sent);
        }

        Assert.Equal((4L, 2L, 4), (sink.Accepted, sink.Dropped, sink.Count));
        byte[] destination = new byte[64];
        for (byte i = 0; i < 4; i++)
        {
            Assert.True(sink.TryRead(destination, out int length, out MediaDirection direction));
            Assert.Equal(new byte[] { i, i, i }, destination[..length]);
            Assert.Equal(i % 2 == 0 ? MediaDirection.Received : MediaDirection.Sent, direction);
        }

        Assert.False(sink.TryRead(destination, out _, out _));
        sink.OnPacket([9], MediaDirection.Sent); // room again after draining
        Assert.True(sink.TryRead(destination, out int last, out _));
        Assert.Equal(9, destination[0]);
        Assert.Equal(1, last);
    }

    [Fact]
    public void DropsPacketsLargerThanASlot()
    {
        var sink = new BoundedCopySink(2, 16);
        sink.OnPacket(new byte[17], MediaDirection.Received);
        Assert.Equal((0L, 1L), (sink.Accepted, sink.Dropped));
    }

    [Fact]
    public async Task ConcurrentProducersLoseNothingThatWasAccepted()
    {
        var sink = new BoundedCopySink(1024, 16);
        var reader = Task.Run(() =>
        {
            byte[] destination = new byte[16];
            long read = 0;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                if (sink.TryRead(destination, out int length, out _))
                {
                    Assert.Equal(8, length);
                    Assert.Equal(BitConverter.ToInt32(destination, 0), BitConverter.ToInt32(destination, 4));
                    read++;
                }
                else if (Volatile.Read(ref _producersDone) == 1 && sink.Count == 0)
                {
                    return read;
                }
            }

            return read;
        });
        Parallel.For(0, 4, p =>
        {
            byte[] packet = new byte[8];
            for (int i = 0; i < 20_000; i++)
            {
                BitConverter.TryWriteBytes(packet, i);
                BitConverter.TryWriteBytes(packet.AsSpan(4), i);
                sink.OnPacket(packet, MediaDirection.Received);
            }
        });
        Volatile.Write(ref _producersDone, 1);
        Assert.Equal(sink.Accepted, await reader);
        Assert.Equal(80_000, sink.Accepted + sink.Dropped);
    }

    [Fact]
    public void OnPacketDoesNotAllocate()
    {
        var sink = new BoundedCopySink(8, 64);
        byte[] packet = new byte[40];
        byte[] destination = new byte[64];
        sink.OnPacket(packet, MediaDirection.Received);
        sink.TryRead(destination, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sink.OnPacket(packet, MediaDirection.Received);
            if (i % 3 == 0)
            {
                sink.TryRead(destination, out _, out _);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void APacketLargerThanTheFirstSlotSizeGrowsItsSlotOnceAndStaysWhole()
    {
        var sink = new BoundedCopySink(2, 1500);
        byte[] large = Enumerable.Range(0, 1200).Select(i => (byte)i).ToArray();
        byte[] destination = new byte[1500];

        for (int lap = 0; lap < 3; lap++)
        {
            sink.OnPacket(large, MediaDirection.Received);
            sink.OnPacket([1, 2, 3], MediaDirection.Sent);
            Assert.True(sink.TryRead(destination, out int length, out _));
            Assert.Equal(large, destination[..length]);
            Assert.True(sink.TryRead(destination, out length, out _));
            Assert.Equal(new byte[] { 1, 2, 3 }, destination[..length]);
        }

        // Every slot grown once (slot 1 held only small packets so far): then nothing more is allocated.
        sink.OnPacket(large, MediaDirection.Received);
        sink.OnPacket(large, MediaDirection.Received);
        Assert.True(sink.TryRead(destination, out _, out _));
        Assert.True(sink.TryRead(destination, out int grown, out _));
        Assert.Equal(large, destination[..grown]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sink.OnPacket(large, MediaDirection.Received);
            sink.TryRead(destination, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, sink.Dropped);
    }
}
