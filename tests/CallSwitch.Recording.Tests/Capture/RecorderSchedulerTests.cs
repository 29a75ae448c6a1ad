using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Timeline;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Recording.Tests.Capture;

/// <summary>
/// The recorders' shared crew: many recordings stepped every tick by a fixed set of threads, one
/// stopping in the middle, a slow one, a failing one, the crew's end and the scheduler's disposal.
/// The ticks come from a fake clock; the workers are real threads, so each check waits (bounded)
/// for them to have done the tick's work.
/// </summary>
public sealed class RecorderSchedulerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PlayoutDelay = new StereoRecorderOptions().PlayoutDelay;
    private readonly FakeTimeProvider _time = new();
    private readonly DateTimeOffset _start;

    public RecorderSchedulerTests() => _start = _time.GetUtcNow();

    [Fact]
    public async Task ManyRecordingsAreEachSteppedEveryTickByTheCrew()
    {
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        var recordings = Enumerable.Range(0, 200).Select(_ => Recording.Create(_time)).ToList();
        using var stop = new CancellationTokenSource();
        var runs = recordings.Select(r => scheduler.Run(r.Pump, stop.Token)).ToList();
        Assert.True(scheduler.IsRunning);
        Assert.Equal(200, scheduler.Count);

        for (int tick = 1; tick <= 20; tick++)
        {
            _time.Advance(Tick);
            long due = DueFrames(Tick * tick);
            await Poll.UntilAsync(() => recordings.All(r => r.Frames.Frames == due), $"every recording at {due} frames after tick {tick}");
        }

        await stop.CancelAsync();
        TimeSpan[] lengths = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(lengths, length => Assert.Equal(Tick * 20, length));
        Assert.All(recordings, r => Assert.Equal(20, r.Frames.Frames));
        Assert.Equal(0, scheduler.Count);
        Assert.False(scheduler.IsRunning);
    }

    [Fact]
    public async Task ARecordingStoppedMidRunEndsWhereItWasToldWhileTheOthersGoOn()
    {
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        var recordings = Enumerable.Range(0, 50).Select(_ => Recording.Create(_time)).ToList();
        var stops = recordings.Select(_ => new CancellationTokenSource()).ToList();
        var runs = recordings.Select((r, i) => scheduler.Run(r.Pump, stops[i].Token)).ToList();
        for (int tick = 1; tick <= 10; tick++)
        {
            _time.Advance(Tick);
        }

        // Recording 17 ends at 200 ms, as its owner does it (EndAt, then the token), between two ticks.
        recordings[17].Pump.EndAt(_time.GetTimestamp());
        await stops[17].CancelAsync();
        TimeSpan length = await runs[17].WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Tick * 10, length);
        Assert.Equal(49, scheduler.Count);

        for (int tick = 11; tick <= 20; tick++)
        {
            _time.Advance(Tick);
        }

        long due = DueFrames(Tick * 20);
        await Poll.UntilAsync(() => recordings.Where((_, i) => i != 17).All(r => r.Frames.Frames == due), $"the other recordings at {due} frames");
        Assert.Equal(10, recordings[17].Frames.Frames);
        Assert.All(runs.Where((_, i) => i != 17), run => Assert.False(run.IsCompleted));
        foreach (CancellationTokenSource stop in stops)
        {
            await stop.CancelAsync();
            stop.Dispose();
        }

        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ASlowRecordingHoldsOneWorkerWhileTheOthersKeepTheirTicks()
    {
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        using var gate = new ManualResetEventSlim(false);
        var slow = Recording.Create(_time, blockOnFrame: gate);
        var others = Enumerable.Range(0, 30).Select(_ => Recording.Create(_time)).ToList();
        using var stop = new CancellationTokenSource();
        Task<TimeSpan> slowRun = scheduler.Run(slow.Pump, stop.Token);
        var runs = others.Select(r => scheduler.Run(r.Pump, stop.Token)).ToList();

        // The slow one blocks in its first frame (a stalled disk) from tick 6 on; the others are still stepped every tick.
        for (int tick = 1; tick <= 15; tick++)
        {
            _time.Advance(Tick);
            long due = DueFrames(Tick * tick);
            await Poll.UntilAsync(() => others.All(r => r.Frames.Frames == due), $"the others at {due} frames after tick {tick} while one is stuck");
        }

        Assert.Equal(1, slow.Frames.Frames);

        // Unblocked, it catches up at the next tick: every frame due meanwhile, none lost.
        gate.Set();
        _time.Advance(Tick);
        long dueAfter = DueFrames(Tick * 16);
        await Poll.UntilAsync(() => slow.Frames.Frames == dueAfter && others.All(r => r.Frames.Frames == dueAfter), $"all at {dueAfter} frames");
        await stop.CancelAsync();
        await Task.WhenAll([slowRun, .. runs]).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AFailingStepFaultsItsOwnRecordingOnly()
    {
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        var failing = Recording.Create(_time, failOnFrame: 3);
        var other = Recording.Create(_time);
        using var stop = new CancellationTokenSource();
        Task<TimeSpan> failingRun = scheduler.Run(failing.Pump, stop.Token);
        Task<TimeSpan> otherRun = scheduler.Run(other.Pump, stop.Token);
        for (int tick = 1; tick <= 12; tick++)
        {
            _time.Advance(Tick);
        }

        IOException thrown = await Assert.ThrowsAsync<IOException>(() => failingRun.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("disk full", thrown.Message);
        long due = DueFrames(Tick * 12);
        await Poll.UntilAsync(() => other.Frames.Frames == due, $"the other recording at {due} frames");
        Assert.Equal(1, scheduler.Count);
        await stop.CancelAsync();
        Assert.Equal(Tick * 12, await otherRun.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DisposingStopsEveryRecordingAndRefusesNewOnes()
    {
        var scheduler = new RecorderScheduler(_time, workers: 2);
        var recordings = Enumerable.Range(0, 10).Select(_ => Recording.Create(_time)).ToList();
        var runs = recordings.Select(r => scheduler.Run(r.Pump, CancellationToken.None)).ToList();
        for (int tick = 1; tick <= 10; tick++)
        {
            _time.Advance(Tick);
        }

        scheduler.Dispose();
        TimeSpan[] lengths = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(lengths, length => Assert.Equal(Tick * 10, length));
        Assert.False(scheduler.IsRunning);
        Assert.Equal(0, scheduler.Count);
        Assert.Throws<ObjectDisposedException>(() => { _ = scheduler.Run(Recording.Create(_time).Pump, CancellationToken.None); });
    }

    [Fact]
    public async Task TheCrewEndsWithTheLastRecordingAndStartsAgainWithTheNext()
    {
        using var scheduler = new RecorderScheduler(_time, workers: 2);
        Assert.False(scheduler.IsRunning);
        using (var stop = new CancellationTokenSource())
        {
            Task<TimeSpan> first = scheduler.Run(Recording.Create(_time).Pump, stop.Token);
            _time.Advance(Tick * 10);
            await stop.CancelAsync();
            await first.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.False(scheduler.IsRunning);
        var second = Recording.Create(_time);
        using var stopSecond = new CancellationTokenSource();
        Task<TimeSpan> run = scheduler.Run(second.Pump, stopSecond.Token);
        Assert.True(scheduler.IsRunning);
        for (int tick = 1; tick <= 8; tick++)
        {
            _time.Advance(Tick);
        }

        long due = DueFrames(Tick * 8);
        await Poll.UntilAsync(() => second.Frames.Frames == due, $"the second recording at {due} frames");
        await stopSecond.CancelAsync();
        Assert.Equal(Tick * 8, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ARecordingThatComesWhileTheCrewIsBehindIsSteppedBeforeAnyOtherIsSteppedAgain()
    {
        // One worker, held inside a round by a recording whose first frame blocks (a crew short of
        // CPU: rounds of seconds); a recording that comes meanwhile must not wait for the round
        // after next (its taps have been filling since the answer).
        using var scheduler = new RecorderScheduler(_time, workers: 1);
        using var gate = new ManualResetEventSlim(false);
        var steps = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var others = Enumerable.Range(0, 4).Select(i => Recording.Create(_time, onFrame: () => steps.Enqueue("other " + i))).ToList();
        // It blocks at its third frame: the ticks of its first two (frames flowing for everyone)
        // let the test wait for each round to end, so the held round is a round of its own (with
        // frames due from the first tick only, a crew still finishing the round before could step
        // some others at the blocking tick, CI saw it once).
        const int BlockAt = 3;
        var slow = Recording.Create(_time, blockOnFrame: gate, onFrame: () => steps.Enqueue("slow"), blockFromFrame: BlockAt);
        using var stop = new CancellationTokenSource();
        var runs = others.Select(r => scheduler.Run(r.Pump, stop.Token)).ToList();
        runs.Add(scheduler.Run(slow.Pump, stop.Token));
        int blockedAt = 0;
        for (int tick = 1; slow.Frames.Frames < BlockAt; tick++)
        {
            Assert.True(tick < 50, "the slow recording never got its blocking frame");
            _time.Advance(Tick);
            blockedAt = tick;
            await Poll.UntilAsync(() => others.All(r => r.Frames.Frames == DueFrames(Tick * tick)) || slow.Frames.Frames >= BlockAt, $"the crew through tick {tick}");
        }

        // Held in the slow one's step: which others this round had already stepped; a new
        // recording comes, ticks pass, the step ends.
        string[] steppedThisRound = [.. others.Select((r, i) => (r, i)).Where(x => x.r.Frames.Frames == DueFrames(Tick * blockedAt)).Select(x => "other " + x.i)];
        var late = Recording.Create(_time, onFrame: () => steps.Enqueue("late"));
        runs.Add(scheduler.Run(late.Pump, stop.Token));
        steps.Clear();
        for (int tick = 0; tick < 10; tick++)
        {
            _time.Advance(Tick);
        }

        gate.Set();
        await Poll.UntilAsync(() => late.Frames.Frames > 0 && others.All(r => r.Frames.Frames == DueFrames(_time.GetUtcNow() - _start)), "every recording caught up");

        // One run of frames per step: what the round in progress had left, then the new one, before
        // any recording this round had stepped is stepped again.
        string[] frames = [.. steps];
        string[] order = [.. frames.Where((name, i) => i == 0 || frames[i - 1] != name)];
        int lateAt = Array.IndexOf(order, "late");
        Assert.True(lateAt >= 0, "the new recording was never stepped: " + string.Join(", ", order));
        Assert.True(
            !order.Take(lateAt).Intersect(steppedThisRound).Any() && order.Take(lateAt).Distinct().Count() == lateAt,
            $"stepped again before the new recording: {string.Join(", ", order)} (stepped in the held round before the slow one: {string.Join(", ", steppedThisRound)})");
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static long DueFrames(TimeSpan elapsed) => Math.Max(0, (elapsed - PlayoutDelay).Ticks / Tick.Ticks);

    /// <summary>A pump with empty taps (silence) over a frame counter that may block or fail.</summary>
    private sealed class Recording
    {
        private Recording(RecordingPump pump, FrameCollector frames)
        {
            Pump = pump;
            Frames = frames;
        }

        public RecordingPump Pump { get; }

        public FrameCollector Frames { get; }

        /// <param name="blockFromFrame">The first frame that waits for <paramref name="blockOnFrame"/>.</param>
        public static Recording Create(TimeProvider time, ManualResetEventSlim? blockOnFrame = null, int? failOnFrame = null, Action? onFrame = null, int blockFromFrame = 1)
        {
            var frames = new FrameCollector(keep: false);
            IStereoFrameSink sink = new Sink(frames, blockOnFrame, failOnFrame, onFrame, blockFromFrame);
            var recorder = new StereoRecorder(sink, time);
            var pump = new RecordingPump(
                recorder,
                time,
                (new PartyTap(Party.Agent, time: time), new Dictionary<int, AudioCodecInfo>()),
                (new PartyTap(Party.Prospect, time: time), new Dictionary<int, AudioCodecInfo>()),
                CodecRegistry.Default);
            return new Recording(pump, frames);
        }

        private sealed class Sink(FrameCollector frames, ManualResetEventSlim? blockOnFrame, int? failOnFrame, Action? onFrame, int blockFromFrame) : IStereoFrameSink
        {
            public void OnFrame(ReadOnlySpan<short> interleaved)
            {
                onFrame?.Invoke();
                frames.OnFrame(interleaved);
                if (frames.Frames == failOnFrame)
                {
                    throw new IOException("disk full");
                }

                if (frames.Frames >= blockFromFrame)
                {
                    blockOnFrame?.Wait();
                }
            }
        }
    }
}
