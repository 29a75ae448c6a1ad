using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Timeline;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Recording.Tests.Timeline;

public class StereoRecorderTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void ThirtyMinutesWithLossJitterGapsAndDriftLastThirtyMinutes()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector(keep: false);
        var recorder = new StereoRecorder(frames, time);
        var random = new Random(7);
        var pcm = new short[160];
        Array.Fill(pcm, (short)1000);

        // Packets in flight: (delivery time, party, rtp timestamp).
        var inFlight = new PriorityQueue<(Party Party, uint Timestamp), TimeSpan>();
        recorder.Start();
        const int Steps = 30 * 60 * 50;
        long sent = 0;
        for (int step = 0; step < Steps; step++)
        {
            TimeSpan now = Frame * step;
            foreach (Party party in new[] { Party.Agent, Party.Prospect })
            {
                double seconds = now.TotalSeconds;
                bool silent = party == Party.Prospect ? seconds is >= 600 and < 660 : seconds is >= 1200 and < 1300;
                if (silent || random.NextDouble() < 0.05)
                {
                    continue; // silence suppression / hold / 5 % loss
                }

                // The prospect's sender clock runs 50 ppm fast; jitter up to 60 ms, so packets reorder.
                TimeSpan sendTime = party == Party.Prospect ? now * (1 - 50e-6) : now;
                TimeSpan delivery = sendTime + TimeSpan.FromMilliseconds(10 + random.Next(0, 60));
                inFlight.Enqueue((party, (uint)(step * 160) + 0xFFFF0000u), delivery); // timestamps wrap early on
                sent++;
            }

            time.Advance(Frame);
            recorder.Pump();
            while (inFlight.TryPeek(out var packet, out TimeSpan at) && at <= Frame * (step + 1))
            {
                inFlight.Dequeue();
                recorder.Write(packet.Party, 0xABCD, packet.Timestamp, 8000, pcm, 8000);
            }
        }

        TimeSpan duration = recorder.Stop();
        Assert.InRange(duration.TotalSeconds, 1800 - 0.1, 1800 + 0.1);
        Assert.Equal(frames.Frames * 20, (long)duration.TotalMilliseconds);
        Assert.True(recorder.LatePackets < sent / 1000, $"late: {recorder.LatePackets} of {sent}");
        Assert.False(recorder.IsIncomplete);
    }

    [Fact]
    public void ReorderedPacketsLandAtTheirTimestamps()
    {
        // Each stream sits where its first packet says (the reordered one a frame earlier, as its
        // first packet is the second of the stream); within it, every packet at its timestamp.
        short[] inOrder = Record([0, 1, 2, 3, 4, 5, 6, 7]);
        short[] reordered = Record([1, 0, 3, 2, 5, 4, 7, 6]);
        int start = Array.FindIndex(inOrder, s => s != 0);
        int reorderedStart = Array.FindIndex(reordered, s => s != 0);
        Assert.True(start >= 0 && reorderedStart >= 0);
        const int Interleaved = 8 * 320 * 2;
        Assert.True(inOrder.Length - start >= Interleaved && reordered.Length - reorderedStart >= Interleaved, "a packet is missing");
        Assert.Equal(inOrder.AsSpan(start, Interleaved).ToArray(), reordered.AsSpan(reorderedStart, Interleaved).ToArray());
        Assert.Equal(100, inOrder[start]);
        Assert.Equal(800, inOrder[start + Interleaved - 2]);
    }

    [Fact]
    public void EachPartyStaysOnItsChannelAtItsPosition()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        for (int n = 0; n < 10; n++)
        {
            recorder.Write(Party.Agent, 1, (uint)(5000 + (n * 320)), 16000, Constant(320, (short)(100 * (n + 1))), 16000);
            time.Advance(Frame);
            recorder.Pump();
        }

        recorder.Stop();

        // The first packet arrived at t = 0 and anchors the agent there: packet n is frame n.
        for (int n = 0; n < 10; n++)
        {
            Assert.All(frames.Channel(n, 0), s => Assert.Equal(100 * (n + 1), s));
            Assert.All(frames.Channel(n, 1), s => Assert.Equal(0, s));
        }
    }

    [Fact]
    public void ASingleVeryLatePacketIsSilenceAndCounted()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        for (int n = 0; n < 30; n++)
        {
            if (n != 3)
            {
                Assert.NotEqual(PacketPlacement.Late, recorder.Write(Party.Prospect, 9, (uint)(n * 160), 8000, Constant(160, 500), 8000));
            }

            if (n == 20)
            {
                // Packet 3 (60 ms) arrives 340 ms late, after its frame was written out.
                Assert.Equal(PacketPlacement.Late, recorder.Write(Party.Prospect, 9, 3 * 160, 8000, Constant(160, 600), 8000));
            }

            time.Advance(Frame);
            recorder.Pump();
        }

        recorder.Stop();
        Assert.Equal(1, recorder.LatePackets);
        Assert.Equal(0, recorder.Resynchronizations);
        Assert.Contains(frames.Channel(2, 1), s => s != 0);
        Assert.All(frames.Channel(3, 1), s => Assert.Equal(0, s));
        Assert.Contains(frames.Channel(4, 1), s => s != 0);
    }

    [Fact]
    public void ALongerPathReanchorsAfterAShortRun()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        var delivered = new PriorityQueue<uint, TimeSpan>();
        for (int n = 0; n < 100; n++)
        {
            // From packet 50 on, every packet takes 300 ms longer.
            delivered.Enqueue((uint)(n * 320), (Frame * n) + TimeSpan.FromMilliseconds(n >= 50 ? 300 : 0));
        }

        int late = 0;
        for (int step = 0; step < 120; step++)
        {
            while (delivered.TryPeek(out uint timestamp, out TimeSpan at) && at <= Frame * step)
            {
                delivered.Dequeue();
                late += recorder.Write(Party.Agent, 3, timestamp, 16000, Constant(320, 800), 16000) == PacketPlacement.Late ? 1 : 0;
            }

            time.Advance(Frame);
            recorder.Pump();
        }

        recorder.Stop();
        Assert.Equal(1, recorder.Resynchronizations);
        Assert.InRange(late, 1, 5);
        Assert.All(frames.Channel(100, 0), s => Assert.Equal(800, s)); // the re-anchored stream plays on
    }

    [Fact]
    public void ArrivalsThatKeepComingAFractionOfAMillisecondFasterDoNotMoveTheAudio()
    {
        // A 2.5 kHz tone whose packets arrive 10 ms after they are due, then each 0.05 ms sooner
        // than the last (under load, the transit keeps finding new minima): following every new
        // minimum would move the audio by about a sample per packet, a phase jump each time.
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        var pcm = new short[160];
        for (int n = 0; n < 150; n++)
        {
            time.Advance(Frame);
            for (int i = 0; i < 160; i++)
            {
                pcm[i] = Signals.Tone(2500, (n * 160) + i, 8000);
            }

            TimeSpan early = TimeSpan.FromMilliseconds(10 - (0.05 * n));
            long arrival = time.GetTimestamp() + (long)(early.TotalSeconds * time.TimestampFrequency);
            Assert.NotEqual(PacketPlacement.Late, recorder.Write(Party.Agent, 4, (uint)(n * 160), 8000, pcm, 8000, arrival));
            recorder.Pump();
        }

        recorder.Stop();
        short[] audio = [.. frames.Samples];
        Assert.Equal(0, recorder.Resynchronizations);
        Assert.True(Signals.Decibels(Signals.Tonepower(audio, 0, 16000, 2500, 0.5, 2.5), 8000.0 * 8000 / 4) > -1, "the tone's phase jumps");
    }

    [Fact]
    public void PausedTimeIsSilenceAndASpan()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        for (int n = 0; n < 150; n++)
        {
            if (n == 50)
            {
                recorder.Pause();
                Assert.True(recorder.IsPaused);
            }

            if (n == 100)
            {
                recorder.Resume();
            }

            recorder.Write(Party.Agent, 1, (uint)(n * 320), 16000, Constant(320, 1234), 16000);
            recorder.Write(Party.Prospect, 2, (uint)(n * 160), 8000, Constant(160, 4321), 8000);
            time.Advance(Frame);
            recorder.Pump();
        }

        recorder.Stop();
        Assert.Equal([new PauseSpan(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))], recorder.PauseSpans);
        Assert.Equal(150, frames.Frames);
        for (int n = 50; n < 100; n++)
        {
            Assert.All(frames.Channel(n, 0), s => Assert.Equal(0, s));
            Assert.All(frames.Channel(n, 1), s => Assert.Equal(0, s));
        }

        Assert.All(frames.Channel(30, 0), s => Assert.Equal(1234, s));
        Assert.All(frames.Channel(120, 0), s => Assert.Equal(1234, s));
        Assert.Contains(frames.Channel(120, 1), s => s != 0);
    }

    [Fact]
    public void StoppingWhilePausedClosesTheSpan()
    {
        var time = new FakeTimeProvider();
        var recorder = new StereoRecorder(new FrameCollector(), time);
        recorder.Start();
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.Pause();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), recorder.Stop());
        Assert.Equal([new PauseSpan(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))], recorder.PauseSpans);
    }

    [Fact]
    public void StoppingAtAnEarlierInstantEndsTheAudioThere()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector(keep: false);
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        time.Advance(TimeSpan.FromSeconds(3));
        long end = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(500)); // the consumer got to it late
        Assert.Equal(TimeSpan.FromSeconds(3), recorder.Stop(end));
        Assert.Equal(150, frames.Frames);
    }

    [Fact]
    public void SsrcChangeReanchorsTheParty()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        recorder.Write(Party.Agent, 1, 1000, 16000, Constant(320, 10), 16000);
        time.Advance(Frame);
        recorder.Pump();
        Assert.Equal(PacketPlacement.Resynchronized, recorder.Write(Party.Agent, 2, 9_000_000, 16000, Constant(320, 20), 16000));
        time.Advance(Frame);
        recorder.Stop();
        Assert.All(frames.Channel(0, 0), s => Assert.Equal(10, s));
        Assert.All(frames.Channel(1, 0), s => Assert.Equal(20, s));
        Assert.Equal(1, recorder.Resynchronizations);
    }

    [Fact]
    public void APacketLongerThanTheTimelineTakesIsRefusedAndTheLongestOnesAreTaken()
    {
        var recorder = new StereoRecorder(new FrameCollector(keep: false), new FakeTimeProvider());
        recorder.Start();

        // 1,500 bytes of G.722 (2,976 samples) or of G.711 upsampled to 16 kHz (1,488 → 2,976) fit.
        Assert.NotEqual(PacketPlacement.Late, recorder.Write(Party.Agent, 1, 0, 8000, new short[2976], 16000));
        Assert.NotEqual(PacketPlacement.Late, recorder.Write(Party.Prospect, 2, 0, 8000, new short[1488], 8000));
        Assert.Throws<ArgumentException>(() => recorder.Write(Party.Agent, 1, 2976, 8000, new short[4097], 16000));
        Assert.Throws<ArgumentException>(() => recorder.Write(Party.Prospect, 2, 1488, 8000, new short[2049], 8000));
    }

    [Fact]
    public void MarkIncompleteCountsDrops()
    {
        var recorder = new StereoRecorder(new FrameCollector(), new FakeTimeProvider());
        Assert.False(recorder.IsIncomplete);
        recorder.MarkIncomplete(3);
        recorder.MarkIncomplete(2);
        Assert.True(recorder.IsIncomplete);
        Assert.Equal(5, recorder.DroppedPackets);
    }

    private static short[] Record(int[] order)
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        recorder.Start();
        time.Advance(Frame * 5);
        recorder.Pump();

        // Two packets per 40 ms step, delivered in the given order within the step.
        for (int i = 0; i < order.Length; i += 2)
        {
            foreach (int n in order.AsSpan(i, 2))
            {
                recorder.Write(Party.Agent, 5, (uint)(n * 320), 16000, Constant(320, (short)(100 * (n + 1))), 16000);
            }

            time.Advance(Frame * 2);
            recorder.Pump();
        }

        recorder.Stop();
        return [.. frames.Samples];
    }

    private static short[] Constant(int count, short value)
    {
        var samples = new short[count];
        Array.Fill(samples, value);
        return samples;
    }

    [Fact]
    public void AReleasedTimelineLeavesNothingOfItsAudioToTheNextRecording()
    {
        // Recordings one after another on this thread: each gets the rings the one before gave
        // back (a pool), and must hear nothing of what that one had placed but not yet emitted.
        var pcm = new short[160];
        Array.Fill(pcm, (short)1234);
        for (int recording = 0; recording < 20; recording++)
        {
            var time = new FakeTimeProvider();
            var frames = new FrameCollector(keep: true);
            var recorder = new StereoRecorder(frames, time);
            recorder.Start();
            for (int step = 0; step < 60; step++)
            {
                // 1.1 s of silence from the start: whatever the rings held before this recording would show.
                time.Advance(Frame);
                recorder.Pump();
            }

            Assert.Equal(55, frames.Frames);
            Assert.All(frames.Samples, s => Assert.Equal(0, s));

            // A second of packets placed ahead of the read position (as a consumer that drains
            // late places them by their arrival), then the recording ends before they are read.
            for (uint packet = 0; packet < 50; packet++)
            {
                long arrival = time.GetTimestamp() + (long)(packet * Frame.TotalSeconds * time.TimestampFrequency);
                Assert.NotEqual(PacketPlacement.Late, recorder.Write(Party.Agent, 7, packet * 160, 8000, pcm, 8000, arrival));
                Assert.NotEqual(PacketPlacement.Late, recorder.Write(Party.Prospect, 8, packet * 160, 8000, pcm, 8000, arrival));
            }

            recorder.Release();
        }
    }
}
