using System.Buffers;
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

        void OfferMany()
        {
            for (int i = 0; i < 1000; i++)
            {
                sink.OnPacket(packet, MediaDirection.Received);
                if (i % 3 == 0)
                {
                    sink.TryRead(destination, out _, out _);
                }
            }
        }

        // Once before measuring: the runtime's first-time work for the loop (on-stack
        // replacement, tiering) may allocate on this thread; the sink must not.
        OfferMany();
        long before = GC.GetAllocatedBytesForCurrentThread();
        OfferMany();

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

    [Fact]
    public void ThePacketsBytesLiveInOneBlockFromThePoolWhichDisposeGivesBackOnce()
    {
        var pool = new CountingPool();
        var sink = new BoundedCopySink(256, 640, pool: pool);
        Assert.Equal(1, pool.Rented);
        Assert.Equal(BoundedCopySink.BlockLength(256, 640), pool.LastRentLength);
        Assert.Equal(256 * BoundedCopySink.InitialSlotLength, pool.LastRentLength);

        sink.OnPacket([1, 2, 3], MediaDirection.Received);
        sink.OnPacket([1, 2, 3], MediaDirection.Received);
        Assert.True(sink.TryRead(new byte[640], out _, out _));
        sink.Dispose();
        sink.Dispose();

        Assert.Equal(1, pool.Returned);
        Assert.Same(pool.LastRented, pool.LastReturned);

        // Closed: the relay's later packets are ignored, nothing is read out of a block given back.
        sink.OnPacket([4, 5, 6], MediaDirection.Received);
        Assert.Equal((2L, 0L, 0), (sink.Accepted, sink.Dropped, sink.Count));
        Assert.False(sink.TryRead(new byte[640], out _, out _));
    }

    [Fact]
    public async Task DisposeWaitsForAProducerStillCopyingBeforeTheBlockGoesBack()
    {
        var pool = new CountingPool();
        var clock = new StallingClock();
        var sink = new BoundedCopySink(4, 64, clock, pool);

        // A relay thread inside OnPacket: its packet copied, its slot not yet published (the stamp stalls).
        var producer = new Thread(() => sink.OnPacket([7, 7, 7], MediaDirection.Received)) { IsBackground = true };
        producer.Start();
        Assert.True(clock.Inside.Wait(TimeSpan.FromSeconds(5)), "the producer never reached the stamp");

        var disposing = Task.Run(sink.Dispose);
        Assert.True(await Task.WhenAny(disposing, Task.Delay(300)) != disposing, "Dispose returned while a producer was still copying into the block");
        Assert.Equal(0, pool.Returned);

        clock.Release.Set();
        await disposing.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(producer.Join(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, pool.Returned);
        Assert.Equal(1L, sink.Accepted);
    }

    /// <summary>A clock whose timestamp waits until released: holds a producer between its copy and its publication.</summary>
    private sealed class StallingClock : TimeProvider
    {
        public ManualResetEventSlim Inside { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public override long GetTimestamp()
        {
            Inside.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            return base.GetTimestamp();
        }
    }

    private sealed class CountingPool : ArrayPool<byte>
    {
        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public int LastRentLength { get; private set; }

        public byte[]? LastRented { get; private set; }

        public byte[]? LastReturned { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            LastRentLength = minimumLength;
            return LastRented = new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Returned++;
            LastReturned = array;
        }
    }
}
