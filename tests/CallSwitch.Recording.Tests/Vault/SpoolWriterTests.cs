using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Recording.Tests.Vault;

/// <summary>
/// The vault's writer on its own: every file gets exactly the bytes it was given, in order, as
/// when they were written straight to it; the caps make producers wait instead of queueing
/// without bound; a write error goes back to its own file's producer. Producers are threads of
/// their own (they may block); each wait on them is bounded.
/// </summary>
public sealed class SpoolWriterTests : IDisposable
{
    private const int Segment = SpoolWriter.SegmentLength;
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-spool-writer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task EachFileGetsTheSameBytesInTheSameOrderAsWrittenStraightToIt()
    {
        var writer = new SpoolWriter();
        const int Files = 8;
        var behind = new WriteBehindStream[Files];
        var straight = new Sha256CountingStream[Files];
        var straightOutputs = new MemoryStream[Files];
        var outputs = new MemoryStream[Files];
        string onDisk = Path.Combine(_folder, "file-0");
        for (int i = 0; i < Files; i++)
        {
            // The first on a real file (its close fsyncs it), the others in memory.
            outputs[i] = new MemoryStream();
            Stream target = i == 0 ? new FileStream(onDisk, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0) : outputs[i];
            behind[i] = writer.Open(new Sha256CountingStream(target));
            straightOutputs[i] = new MemoryStream();
            straight[i] = new Sha256CountingStream(straightOutputs[i]);
        }

        // Four producers, two files each, writes of 1 byte to 2.5 segments interleaved, flushes between.
        Thread[] producers = [.. Enumerable.Range(0, 4).Select(p => new Thread(() =>
        {
            var random = new Random(p);
            var buffer = new byte[(Segment * 5) / 2];
            for (int n = 0; n < 300; n++)
            {
                int file = (p * 2) + (n % 2);
                int length = random.Next(1, buffer.Length + 1);
                random.NextBytes(buffer.AsSpan(0, length));
                behind[file].Write(buffer.AsSpan(0, length));
                straight[file].Write(buffer.AsSpan(0, length));
                if (n % 7 == 0)
                {
                    behind[file].Flush();
                }
            }
        }))];
        foreach (Thread producer in producers)
        {
            producer.Start();
        }

        foreach (Thread producer in producers)
        {
            Assert.True(producer.Join(TimeSpan.FromSeconds(30)), "a producer did not finish");
        }

        await Task.WhenAll(behind.Select(b => b.CloseAsync(flushToDisk: true))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, writer.QueuedBytes);
        for (int i = 0; i < Files; i++)
        {
            byte[] expected = straightOutputs[i].ToArray();
            Sha256CountingStream file = behind[i].File;
            file.Dispose();
            byte[] actual = i == 0 ? await File.ReadAllBytesAsync(onDisk) : outputs[i].ToArray();
            Assert.Equal(expected, actual);
            Assert.Equal(straight[i].BytesWritten, file.BytesWritten);
            Assert.Equal(straight[i].Sha256Hex(), file.Sha256Hex());
        }
    }

    [Fact]
    public async Task AFileAtItsCapAndAllFilesAtTheTotalCapMakeTheirProducersWaitUntilTheDiskTakesTheBytes()
    {
        var writer = new SpoolWriter(fileCap: 4 * Segment, totalCap: 6 * Segment);
        using var gate = new ManualResetEventSlim(false);
        var stalledOutput = new MemoryStream();
        var otherOutput = new MemoryStream();
        WriteBehindStream stalled = writer.Open(new Sha256CountingStream(new StallingFile(stalledOutput) { Gate = gate }));
        WriteBehindStream other = writer.Open(new Sha256CountingStream(otherOutput));
        byte[] stalledBytes = Pattern(10 * Segment, 1);
        byte[] otherBytes = Pattern(3 * Segment, 2);

        // The stalled file's producer queues up to its cap (4 segments, the one at the disk included) and waits.
        Task stalledDone = Produce(stalled, stalledBytes);
        await Poll.UntilAsync(() => writer.WaitingProducers == 1, "the stalled file's producer waiting");
        Assert.Equal(4 * Segment, writer.QueuedBytes);
        Assert.False(stalledDone.IsCompleted);

        // The other file is under its own cap, but the vault reaches its total (6 segments) after two more: it waits too.
        Task otherDone = Produce(other, otherBytes);
        await Poll.UntilAsync(() => writer.WaitingProducers == 2, "the other file's producer waiting at the total cap");
        Assert.Equal(6 * Segment, writer.QueuedBytes);
        Assert.False(otherDone.IsCompleted);
        Assert.Equal(0, otherOutput.Length);

        // The disk comes back: both finish, every byte in place.
        gate.Set();
        await Task.WhenAll(stalledDone, otherDone).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(stalled.CloseAsync(flushToDisk: true), other.CloseAsync(flushToDisk: true)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(stalledBytes, stalledOutput.ToArray());
        Assert.Equal(otherBytes, otherOutput.ToArray());
        Assert.Equal(0, writer.QueuedBytes);
    }

    [Fact]
    public async Task AStoppingRecordingsLastBytesNeverWaitForRoom()
    {
        var writer = new SpoolWriter(fileCap: 2 * Segment, totalCap: 2 * Segment);
        using var gate = new ManualResetEventSlim(false);
        var output = new MemoryStream();
        WriteBehindStream stream = writer.Open(new Sha256CountingStream(new StallingFile(output) { Gate = gate }));
        byte[] bytes = Pattern(5 * Segment, 3);
        Task done = Produce(stream, bytes);
        await Poll.UntilAsync(() => writer.WaitingProducers == 1, "the producer waiting at the cap");

        // Its stop: the waiting write and the next ones go over the cap while the disk is still stalled.
        stream.StopWaitingForRoom();
        await done.WaitAsync(TimeSpan.FromSeconds(10));
        stream.Write(bytes.AsSpan(0, 100));
        Assert.Equal(6 * Segment, writer.QueuedBytes);
        Assert.Equal(0, output.Length);

        gate.Set();
        await stream.CloseAsync(flushToDisk: true).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([.. bytes, .. bytes.AsSpan(0, 100)], output.ToArray());
    }

    [Fact]
    public async Task AFilesSlowFsyncHoldsNoWriteOfTheOtherFiles()
    {
        var writer = new SpoolWriter();
        using var fsync = new ManualResetEventSlim(false);
        var closingOutput = new MemoryStream();
        WriteBehindStream closing = writer.Open(new Sha256CountingStream(new StallingFile(closingOutput) { FlushGate = fsync }));
        var otherOutput = new MemoryStream();
        WriteBehindStream other = writer.Open(new Sha256CountingStream(otherOutput));
        byte[] bytes = Pattern(3 * Segment, 5);

        closing.Write(bytes);
        Task closed = closing.CloseAsync(flushToDisk: true);
        await Poll.UntilAsync(() => closingOutput.Length == bytes.Length, "the closing file's bytes written before its fsync");

        // Its fsync stalls: the other file's bytes are still written (the fsyncs take turns on a thread of their own).
        other.Write(bytes);
        await Poll.UntilAsync(() => otherOutput.Length == bytes.Length, "the other file written during the fsync");
        Task otherClosed = other.CloseAsync(flushToDisk: true);
        Assert.False(closed.IsCompleted);

        fsync.Set();
        await Task.WhenAll(closed, otherClosed).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(bytes, closingOutput.ToArray());
        Assert.Equal(bytes, otherOutput.ToArray());
    }

    [Fact]
    public async Task AWriteErrorGoesBackToItsOwnFilesProducerAndTheOtherFilesGoOn()
    {
        var writer = new SpoolWriter();
        var full = new StallingFile(new MemoryStream()) { RoomBytes = Segment + 10 };
        var fullFile = new Sha256CountingStream(full);
        WriteBehindStream failing = writer.Open(fullFile);
        var otherOutput = new MemoryStream();
        WriteBehindStream other = writer.Open(new Sha256CountingStream(otherOutput));
        byte[] bytes = Pattern(2 * Segment, 4);

        failing.Write(bytes);
        other.Write(bytes);
        await Poll.UntilAsync(() => failing.Failure is not null, "the writer's error kept for the file");

        // The very exception the file threw, to each later write, flush and close; only what fit is counted.
        IOException onWrite = Assert.Throws<IOException>(() => failing.Write(bytes.AsSpan(0, 1)));
        Assert.Equal(StallingFile.DiskFull, onWrite.Message);
        Assert.Same(onWrite, Assert.Throws<IOException>(failing.Flush));
        Assert.Same(onWrite, await Assert.ThrowsAsync<IOException>(() => failing.CloseAsync(flushToDisk: true).WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Equal(Segment, fullFile.BytesWritten);

        other.Write(bytes);
        await other.CloseAsync(flushToDisk: true).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([.. bytes, .. bytes], otherOutput.ToArray());
    }

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="bytes"/> a segment at a time on a thread of its own (it may block); completes when done.</summary>
    private static Task Produce(WriteBehindStream stream, byte[] bytes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                for (int offset = 0; offset < bytes.Length; offset += Segment)
                {
                    stream.Write(bytes.AsSpan(offset, Math.Min(Segment, bytes.Length - offset)));
                }

                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true }.Start();
        return done.Task;
    }
}
