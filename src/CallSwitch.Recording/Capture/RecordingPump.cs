using CallSwitch.Media.Codecs;
using CallSwitch.Media.Rtp;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Recording.Capture;

/// <summary>
/// The recorder's consumer: drains both <see cref="PartyTap"/>s, parses RTP (RFC 3550 §5.1),
/// decodes the payload with the party's negotiated codec, places the PCM on the
/// <see cref="StereoRecorder"/> timeline and lets the recorder emit the frames that are due.
/// Stepped every 20 ms by a <see cref="RecorderScheduler"/> with the other recordings (the switch),
/// or on a task of its own (<see cref="RunAsync"/>), paced by a 20 ms timer of the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Payload types without a codec (telephone-event, comfort noise) are skipped: their time is
/// silence. Not thread-safe: one consumer. No allocation per packet.
/// </remarks>
public sealed class RecordingPump
{
    private const long NoEnd = long.MinValue;
    private static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(20);
    private readonly StereoRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly PartyInput[] _inputs;
    private readonly byte[] _packet = new byte[1500];
    private readonly short[] _pcm = new short[4096]; // a 1,500-byte G.722 payload decodes to 2,976
    private long _endTimestamp = NoEnd;
    private bool _started;
    private long _startTimestamp;
    private long _lastStepTimestamp;
    private long _longestGap;
    private long _longestStep;
    private long? _firstDropTimestamp;
    private long _gapBeforeFirstDrop;

    /// <summary>Creates a pump from two taps and the payload types each party's leg negotiated.</summary>
    /// <param name="recorder">The timeline; the pump starts and stops it.</param>
    /// <param name="time">Paces <see cref="RunAsync"/>.</param>
    /// <param name="agent">The agent's tap and payload type → codec map (SDP a=rtpmap of that leg).</param>
    /// <param name="prospect">The prospect's tap and payload type → codec map.</param>
    /// <param name="codecs">Creates one decoder per party and payload type.</param>
    public RecordingPump(
        StereoRecorder recorder,
        TimeProvider time,
        (PartyTap Tap, IReadOnlyDictionary<int, AudioCodecInfo> PayloadTypes) agent,
        (PartyTap Tap, IReadOnlyDictionary<int, AudioCodecInfo> PayloadTypes) prospect,
        CodecRegistry codecs)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(codecs);
        _recorder = recorder;
        _time = time;
        _inputs = [new PartyInput(Party.Agent, agent.Tap, agent.PayloadTypes, codecs), new PartyInput(Party.Prospect, prospect.Tap, prospect.PayloadTypes, codecs)];
    }

    /// <summary>Packets skipped because their payload type has no codec or they did not parse.</summary>
    public long SkippedPackets { get; private set; }

    /// <summary>
    /// Starts the recorder's timeline now. The consumer thread, or the owner before it hands the
    /// pump to its task (<see cref="RunAsync"/> then does not start it again): a task that starts
    /// late on a busy thread pool must not make the file shorter than the recording.
    /// </summary>
    public void Start()
    {
        _recorder.Start();
        _started = true;
        _startTimestamp = _time.GetTimestamp();
        _lastStepTimestamp = _startTimestamp;
    }

    /// <summary>
    /// How the steps came (for the log of a recording that lost packets: was it not stepped, or
    /// was a step slow?). Read it after <see cref="Stop"/>, or on the consumer thread.
    /// </summary>
    public RecordingPumpTiming Timing => new(
        _time.GetElapsedTime(0, _longestGap),
        _time.GetElapsedTime(0, _longestStep),
        _firstDropTimestamp is { } firstDrop ? _time.GetElapsedTime(_startTimestamp, firstDrop) : null,
        _time.GetElapsedTime(0, _gapBeforeFirstDrop));

    /// <summary>
    /// Sets when the recording ended (a <see cref="TimeProvider.GetTimestamp"/> of the pump's
    /// clock), for <see cref="RunAsync"/> to end the timeline there rather than when its task
    /// gets to run. Any thread, before cancelling the run.
    /// </summary>
    public void EndAt(long timestamp) => Interlocked.Exchange(ref _endTimestamp, timestamp);

    /// <summary>Whether <see cref="EndAt"/> was called.</summary>
    internal bool HasEnd => Interlocked.Read(ref _endTimestamp) != NoEnd;

    /// <summary>The end given to <see cref="EndAt"/>, or null: the argument for <see cref="Stop"/>.</summary>
    internal long? End => Interlocked.Read(ref _endTimestamp) is var end && end != NoEnd ? end : null;

    /// <summary>Starts the timeline unless the owner did (<see cref="Start"/>). Consumer thread.</summary>
    internal void EnsureStarted()
    {
        if (!_started)
        {
            Start();
        }
    }

    /// <summary>
    /// Drains both taps onto the timeline, then emits the frames that are due. Consumer thread.
    /// Draining first: a step that comes late (the machine short of CPU) still places the
    /// packets that came meanwhile, each at the time it arrived, before their frames go out.
    /// </summary>
    public void Step()
    {
        long started = _time.GetTimestamp();
        long gap = started - _lastStepTimestamp;
        _longestGap = Math.Max(_longestGap, gap);
        DrainAll(started, gap);
        _recorder.Pump();
        if (_time.GetElapsedTime(started) >= StepInterval)
        {
            // The step itself was slow (the file's disk stalled): what came meanwhile, and the frames now due.
            DrainAll(started, gap);
            _recorder.Pump();
        }

        _lastStepTimestamp = _time.GetTimestamp();
        _longestStep = Math.Max(_longestStep, _lastStepTimestamp - started);
    }

    /// <summary>Drains what is left and ends the timeline now, or at <paramref name="endTimestamp"/>. Consumer thread.</summary>
    /// <returns>The recorded length.</returns>
    public TimeSpan Stop(long? endTimestamp = null)
    {
        if (endTimestamp is null)
        {
            Step();
        }
        else
        {
            // No emission at the current time: the frames between the end and now are not the recording's.
            long now = _time.GetTimestamp();
            DrainAll(now, now - _lastStepTimestamp);
        }

        return _recorder.Stop(endTimestamp);
    }

    /// <summary>
    /// Starts (unless <see cref="Start"/> was called), steps every 20 ms until
    /// <paramref name="cancellationToken"/> is cancelled, then stops, at the time given to
    /// <see cref="EndAt"/> if any. Run it on a task of its own; the caller completes the file afterwards.
    /// </summary>
    public async Task<TimeSpan> RunAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        using var timer = new PeriodicTimer(StepInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false) && Interlocked.Read(ref _endTimestamp) == NoEnd)
            {
                Step();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal end of the call.
        }

        return Stop(End);
    }

    /// <param name="now">When this step began (a timestamp of the pump's clock).</param>
    /// <param name="gap">How long since the previous step ended, in timestamp units.</param>
    private void DrainAll(long now, long gap)
    {
        foreach (PartyInput input in _inputs)
        {
            Drain(input, now, gap);
        }
    }

    private void Drain(PartyInput input, long now, long gap)
    {
        while (input.Tap.TryRead(_packet, out int length, out long arrival))
        {
            if (!RtpPacket.TryParse(_packet.AsSpan(0, length), out RtpPacket rtp) ||
                !input.TryGetDecoder(rtp.PayloadType, out IAudioDecoder? decoder))
            {
                SkippedPackets++;
                continue;
            }

            int samples = decoder.Decode(rtp.Payload, _pcm);
            _recorder.Write(input.Party, rtp.Ssrc, rtp.Timestamp, decoder.Codec.RtpClockRate, _pcm.AsSpan(0, samples), decoder.Codec.SampleRate, arrival);
        }

        long dropped = input.Tap.Dropped;
        if (dropped > input.ReportedDrops)
        {
            if (_firstDropTimestamp is null)
            {
                _firstDropTimestamp = now;
                _gapBeforeFirstDrop = gap;
            }

            _recorder.MarkIncomplete(dropped - input.ReportedDrops);
            input.ReportedDrops = dropped;
        }
    }

    private sealed class PartyInput
    {
        private readonly Dictionary<int, IAudioDecoder> _decoders = [];

        public PartyInput(Party party, PartyTap tap, IReadOnlyDictionary<int, AudioCodecInfo> payloadTypes, CodecRegistry codecs)
        {
            ArgumentNullException.ThrowIfNull(tap);
            ArgumentNullException.ThrowIfNull(payloadTypes);
            Party = party;
            Tap = tap;
            foreach (var (payloadType, codec) in payloadTypes)
            {
                _decoders.Add(payloadType, codecs.CreateDecoder(codec));
            }
        }

        public Party Party { get; }

        public PartyTap Tap { get; }

        public long ReportedDrops { get; set; }

        public bool TryGetDecoder(int payloadType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IAudioDecoder? decoder) =>
            _decoders.TryGetValue(payloadType, out decoder);
    }
}

/// <summary>How a <see cref="RecordingPump"/>'s steps came: what a recording that lost packets is logged with.</summary>
/// <param name="LongestGap">The longest time between the end of a step (or the start) and the next step.</param>
/// <param name="LongestStep">The longest single step.</param>
/// <param name="FirstDropSeenAfter">When a dropped packet was first seen, from the start; null: none.</param>
/// <param name="GapBeforeFirstDrop">The time between steps that ended at that step.</param>
public readonly record struct RecordingPumpTiming(TimeSpan LongestGap, TimeSpan LongestStep, TimeSpan? FirstDropSeenAfter, TimeSpan GapBeforeFirstDrop);
