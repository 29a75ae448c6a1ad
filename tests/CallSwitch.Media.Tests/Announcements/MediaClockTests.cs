using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using Microsoft.Extensions.Time.Testing;
using NAudio.Wave;

namespace CallSwitch.Media.Tests.Announcements;

public sealed class MediaClockTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSource _source = new();

    [Fact]
    public void TicksEveryTwentyMillisecondsFromTheStart()
    {
        using var clock = Started();
        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Empty(_source.Ticks);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(i == 0 ? TimeSpan.FromMilliseconds(1) : Period);
        }

        Assert.Equal([1L, 2, 3, 4, 5], _source.Ticks.Select(t => t.Index));
        Assert.All(_source.Ticks, t => Assert.Equal(TimeSpan.Zero, t.Lateness));
        Assert.Equal(Period * 5, _source.Ticks[^1].DueAt);
        Assert.Equal(5, clock.DeliveredTicks);
    }

    [Fact]
    public void DoesNotDriftWhenTheTimerFiresLate()
    {
        // Time moves in 7 ms steps, so each tick fires up to 6 ms late; the schedule holds.
        using var clock = Started();
        for (var i = 0; i < 1000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(7));
        }

        Assert.Equal(350, _source.Ticks.Count); // 7000 ms / 20 ms, none lost, none extra
        for (var i = 0; i < _source.Ticks.Count; i++)
        {
            var tick = _source.Ticks[i];
            Assert.Equal(i + 1, tick.Index);
            Assert.Equal(Period * (i + 1), tick.DueAt);
            Assert.InRange(tick.Lateness, TimeSpan.Zero, TimeSpan.FromMilliseconds(6));
        }

        Assert.Equal(0, clock.SkippedTicks);
    }

    [Fact]
    public void CatchesUpAFewMissedTicksAndSkipsOlderOnes()
    {
        using var clock = Started(maxCatchUp: 3);
        _time.Advance(TimeSpan.FromMilliseconds(50)); // ticks 1, 2 due: caught up back to back
        Assert.Equal([1L, 2], _source.Ticks.Select(t => t.Index));
        Assert.Equal(TimeSpan.FromMilliseconds(30), _source.Ticks[0].Lateness);

        _source.Ticks.Clear();
        _time.Advance(TimeSpan.FromMilliseconds(150)); // now 200 ms: ticks 3..10 due, only 8..10 sent
        Assert.Equal([8L, 9, 10], _source.Ticks.Select(t => t.Index));
        Assert.Equal(5, clock.SkippedTicks);

        _source.Ticks.Clear();
        _time.Advance(Period);
        Assert.Equal([11L], _source.Ticks.Select(t => t.Index));
        Assert.Equal(TimeSpan.Zero, _source.Ticks[0].Lateness);
    }

    [Fact]
    public void StopEndsTheTicksEvenFromInsideATick()
    {
        var clock = Started();
        _time.Advance(Period);
        clock.Stop();
        _time.Advance(Period * 10);
        Assert.Single(_source.Ticks);

        using var second = new MediaClock(_time);
        var stopper = new StoppingSource(second, stopAt: 3);
        second.Add(stopper);
        second.Start();
        _time.Advance(Period * 10);
        Assert.Equal(3, stopper.Calls);
        Assert.Throws<InvalidOperationException>(second.Start);
        clock.Dispose();
        Assert.Throws<ObjectDisposedException>(clock.Start);
    }

    [Fact]
    public void AFailingSourceIsReportedAndDoesNotStopTheOthers()
    {
        using var clock = new MediaClock(_time);
        var failures = new List<Exception>();
        clock.SourceFailed += (_, e) => failures.Add(e);
        clock.Add(new ThrowingSource());
        clock.Add(_source);
        clock.Start();
        _time.Advance(Period * 3);
        Assert.Equal(3, _source.Ticks.Count);
        Assert.Equal(3, failures.Count);
    }

    [Fact]
    public void SourcesCanBeAddedAndRemovedWhileRunning()
    {
        using var clock = Started();
        var late = new RecordingSource();
        _time.Advance(Period);
        clock.Add(late);
        _time.Advance(Period);
        Assert.True(clock.Remove(_source));
        Assert.False(clock.Remove(_source));
        _time.Advance(Period);
        Assert.Equal([1L, 2], _source.Ticks.Select(t => t.Index));
        Assert.Equal([2L, 3], late.Ticks.Select(t => t.Index));
    }

    [Fact]
    public void DrivesAnAnnouncementToTheEnd()
    {
        var announcement = Announcement.FromWaveBytes(
            WaveFiles.Sine(new WaveFormat(8000, 16, 1), 440, TimeSpan.FromSeconds(1)), "tone.wav");
        var player = announcement.CreatePlayer(AudioCodecInfo.Pcmu);
        var sender = new PlayerSource(player);
        using var clock = new MediaClock(_time);
        clock.Add(sender);
        clock.Start();
        for (var i = 0; i < 60; i++)
        {
            _time.Advance(Period);
        }

        Assert.Equal(50, sender.Sent);
        Assert.True(player.PlayedInFull);
        Assert.Equal([.. Enumerable.Range(1, 50).Select(i => (uint)(i * 160))], sender.Timestamps);
    }

    [Fact]
    public void WithTheSystemTimeTicksOnAThreadOfItsOwnThatAStarvedThreadPoolDoesNotHold()
    {
        var source = new ThreadSource(ticksWanted: 10);
        using var clock = new MediaClock(TimeProvider.System);
        clock.Add(source);
        // A gate that is never disposed: the pool reaches the last blocked items long after the test.
        var gate = new BlockingGate();
        int blocked = 0;
        try
        {
            // Every pool thread, and the next hundred the pool adds, waits on the gate: a tick
            // queued to the pool would wait behind them for tens of seconds.
            for (int i = 0; i < Environment.ProcessorCount + 100; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ => { Interlocked.Increment(ref blocked); gate.Wait(); }, null);
            }

            clock.Start();
            Assert.True(source.Enough.Wait(TimeSpan.FromSeconds(10)), $"{clock.DeliveredTicks} ticks in 10 s with the thread pool blocked ({Volatile.Read(ref blocked)} work items waiting)");
        }
        finally
        {
            gate.Open();
        }

        Assert.Equal("media-clock", source.ThreadName);
        Assert.False(source.OnPoolThread);
        clock.Dispose();
        long delivered = clock.DeliveredTicks;
        Thread.Sleep(100);
        Assert.Equal(delivered, clock.DeliveredTicks);
    }

    [Fact]
    public void WithTheSystemTimeASourceStoppingTheClockFromItsTickEndsTheThread()
    {
        using var clock = new MediaClock(TimeProvider.System);
        var stopper = new StoppingSource(clock, stopAt: 3);
        clock.Add(stopper);
        clock.Start();
        SpinWait.SpinUntil(() => stopper.Calls >= 3, TimeSpan.FromSeconds(5));
        Thread.Sleep(100);
        Assert.Equal(3, stopper.Calls);
        Assert.Equal(3, clock.DeliveredTicks);
    }

    private MediaClock Started(int maxCatchUp = 3)
    {
        var clock = new MediaClock(_time, Period, maxCatchUp);
        clock.Add(_source);
        clock.Start();
        return clock;
    }

    private sealed class RecordingSource : IMediaClockSource
    {
        public List<MediaTick> Ticks { get; } = [];

        public void OnTick(in MediaTick tick) => Ticks.Add(tick);
    }

    private sealed class ThreadSource(int ticksWanted) : IMediaClockSource
    {
        private int _ticks;

        public ManualResetEventSlim Enough { get; } = new(false);

        public string? ThreadName { get; private set; }

        public bool OnPoolThread { get; private set; }

        public void OnTick(in MediaTick tick)
        {
            ThreadName = Thread.CurrentThread.Name;
            OnPoolThread |= Thread.CurrentThread.IsThreadPoolThread;
            if (++_ticks == ticksWanted)
            {
                Enough.Set();
            }
        }
    }

    private sealed class BlockingGate
    {
        private readonly object _lock = new();
        private bool _open;

        public void Wait()
        {
            lock (_lock)
            {
                while (!_open)
                {
                    Monitor.Wait(_lock);
                }
            }
        }

        public void Open()
        {
            lock (_lock)
            {
                _open = true;
                Monitor.PulseAll(_lock);
            }
        }
    }

    private sealed class ThrowingSource : IMediaClockSource
    {
        public void OnTick(in MediaTick tick) => throw new InvalidOperationException("boom");
    }

    private sealed class StoppingSource(MediaClock clock, int stopAt) : IMediaClockSource
    {
        public int Calls { get; private set; }

        public void OnTick(in MediaTick tick)
        {
            if (++Calls == stopAt)
            {
                clock.Stop();
            }
        }
    }

    /// <summary>What the relay will do: pull a frame per tick and stamp it from the tick index.</summary>
    private sealed class PlayerSource(AnnouncementPlayer player) : IMediaClockSource
    {
        private readonly byte[] _payload = new byte[160];

        public int Sent { get; private set; }

        public List<uint> Timestamps { get; } = [];

        public void OnTick(in MediaTick tick)
        {
            if (player.TryGetNextFrame(_payload, out _))
            {
                Sent++;
                Timestamps.Add((uint)(tick.Index * 160));
            }
        }
    }
}
