using System.Collections.Immutable;

namespace CallSwitch.Recording.Timeline;

/// <summary>
/// Aligns the two parties of a call on one timeline and emits 20 ms stereo frames (left =
/// agent, right = prospect) to an <see cref="IStereoFrameSink"/> at the pace of wall-clock
/// time: frame k is emitted once k × 20 ms + the playout delay has elapsed since
/// <see cref="Start"/>, whatever packets arrived. A 30-minute call therefore yields 30 minutes
/// of audio; gaps from loss, silence suppression or hold are silence.
/// </summary>
/// <remarks>
/// <para>
/// Threads: <see cref="Start"/>, <see cref="Write"/>, <see cref="Pump"/> and <see cref="Stop"/>
/// run on the recorder's single consumer thread. <see cref="Pause"/>, <see cref="Resume"/>,
/// <see cref="MarkIncomplete"/> and the counters may be called from any thread: pause spans are
/// an immutable list swapped atomically (signalling writes, media reads).
/// </para>
/// <para>Buffers: PCM spans passed to <see cref="Write"/> are copied; the frame handed to the sink is the recorder's own.</para>
/// </remarks>
public sealed class StereoRecorder
{

    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    private readonly IStereoFrameSink _sink;
    private readonly TimeProvider _time;
    private readonly StereoRecorderOptions _options;
    private readonly PartyTrack[] _tracks;
    private readonly short[] _frame;
    private ImmutableList<PauseSpan> _pauses = [];
    private long _startTimestamp;
    private long _framesEmitted;
    private long _droppedPackets;
    private int _incomplete;
    private bool _started;
    private bool _stopped;

    /// <summary>Creates a recorder that writes frames to <paramref name="sink"/>, timed by <paramref name="time"/>.</summary>
    public StereoRecorder(IStereoFrameSink sink, TimeProvider time, StereoRecorderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(time);
        _options = options ?? new StereoRecorderOptions();
        _options.Validate();
        _sink = sink;
        _time = time;
        SampleRate = _options.SampleRate;
        FrameSize = SampleRate / 50;
        _frame = new short[FrameSize * 2];
        _tracks =
        [
            new PartyTrack(SampleRate, _options.PlayoutDelay, _options.ResyncThreshold),
            new PartyTrack(SampleRate, _options.PlayoutDelay, _options.ResyncThreshold),
        ];
    }

    /// <summary>The timeline's rate (<see cref="StereoRecorderOptions.SampleRate"/>): the rate of the frames handed to the sink.</summary>
    public int SampleRate { get; }

    /// <summary>Samples per channel of one 20 ms frame.</summary>
    public int FrameSize { get; }

    /// <summary>Frames handed to the sink so far.</summary>
    public long FramesEmitted => Volatile.Read(ref _framesEmitted);

    /// <summary>Audio length handed to the sink so far.</summary>
    public TimeSpan Duration => FrameDuration * FramesEmitted;

    /// <summary>Pause spans so far, offsets from the start of the recording.</summary>
    public IReadOnlyList<PauseSpan> PauseSpans => Volatile.Read(ref _pauses);

    /// <summary>Whether recording is paused now.</summary>
    public bool IsPaused => PauseSpans is [.., { End: null }];

    /// <summary>Whether audio was lost by the recorder itself (its queue overflowed): the file is marked incomplete.</summary>
    public bool IsIncomplete => Volatile.Read(ref _incomplete) != 0;

    /// <summary>Packets the recorder's queues dropped (reported through <see cref="MarkIncomplete"/>).</summary>
    public long DroppedPackets => Interlocked.Read(ref _droppedPackets);

    /// <summary>Packets that arrived after their place was written out (network jitter beyond the playout delay).</summary>
    public long LatePackets => _tracks[0].LatePackets + _tracks[1].LatePackets;

    /// <summary>Times a party's timestamps were re-anchored after the first packet (SSRC change, jump, drift).</summary>
    public long Resynchronizations => _tracks[0].Resynchronizations + _tracks[1].Resynchronizations;

    /// <summary>Starts the timeline at the current time. Consumer thread.</summary>
    public void Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("The recorder is already started.");
        }

        _startTimestamp = _time.GetTimestamp();
        _started = true;
    }

    /// <summary>
    /// Places one decoded packet of <paramref name="party"/> on the timeline at its RTP
    /// timestamp. Consumer thread.
    /// </summary>
    /// <param name="party">Whose audio (agent = left, prospect = right).</param>
    /// <param name="ssrc">The RTP SSRC (a change re-anchors the party).</param>
    /// <param name="rtpTimestamp">The packet's RTP timestamp.</param>
    /// <param name="rtpClockRate">The payload format's RTP clock rate (8000 for G.722 too).</param>
    /// <param name="pcm">Decoded mono PCM; copied.</param>
    /// <param name="sampleRate">Rate of <paramref name="pcm"/>: the timeline's rate or half of it (upsampled 2×).</param>
    /// <param name="arrivalTimestamp">
    /// When the packet arrived (a <see cref="TimeProvider.GetTimestamp"/> of the recorder's clock,
    /// taken when the relay handed it over), so that a consumer draining late places it where it
    /// belongs; now when null.
    /// </param>
    public PacketPlacement Write(Party party, uint ssrc, uint rtpTimestamp, int rtpClockRate, ReadOnlySpan<short> pcm, int sampleRate, long? arrivalTimestamp = null)
    {
        EnsureRunning();
        ArgumentOutOfRangeException.ThrowIfLessThan(rtpClockRate, 1000);
        long arrival = _time.GetElapsedTime(_startTimestamp, arrivalTimestamp ?? _time.GetTimestamp()).Ticks * SampleRate / TimeSpan.TicksPerSecond;
        return _tracks[(int)party].Write(ssrc, rtpTimestamp, rtpClockRate, pcm, sampleRate, arrival, _framesEmitted * FrameSize);
    }

    /// <summary>Emits every frame that is due at the current time. Consumer thread.</summary>
    /// <returns>The number of frames emitted.</returns>
    public int Pump()
    {
        EnsureRunning();
        long due = (_time.GetElapsedTime(_startTimestamp) - _options.PlayoutDelay).Ticks / FrameDuration.Ticks;
        return EmitUntil(due);
    }

    /// <summary>
    /// Ends the timeline at the current time, or at <paramref name="endTimestamp"/> (a
    /// <see cref="TimeProvider.GetTimestamp"/> of the recorder's clock) when the recording ended
    /// before this thread got to stop it: the frames still inside the playout delay are emitted,
    /// so the audio lasts as long as the recording ran (to the nearest 20 ms; frames already
    /// emitted past an earlier end stay). Consumer thread. Closes an open pause.
    /// </summary>
    public TimeSpan Stop(long? endTimestamp = null)
    {
        EnsureRunning();
        TimeSpan elapsed = endTimestamp is { } end ? _time.GetElapsedTime(_startTimestamp, end) : _time.GetElapsedTime(_startTimestamp);
        if (IsPaused)
        {
            Resume();
        }

        EmitUntil((elapsed.Ticks + (FrameDuration.Ticks / 2)) / FrameDuration.Ticks);
        _stopped = true;
        return Duration;
    }

    /// <summary>Pauses: from now on the file holds silence, and a span is recorded. Any thread; no effect when already paused.</summary>
    public void Pause()
    {
        TimeSpan offset = Offset();
        ImmutableInterlocked.Update(ref _pauses, list => list is [.., { End: null }] ? list : list.Add(new PauseSpan(offset, null)));
    }

    /// <summary>Resumes after <see cref="Pause"/>. Any thread; no effect when not paused.</summary>
    public void Resume()
    {
        TimeSpan offset = Offset();
        ImmutableInterlocked.Update(
            ref _pauses,
            list => list is [.., { End: null } last] ? list.SetItem(list.Count - 1, last with { End = offset }) : list);
    }

    /// <summary>Records that the recorder lost <paramref name="droppedPackets"/> packets of its own making (queue full). Any thread.</summary>
    public void MarkIncomplete(long droppedPackets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(droppedPackets);
        Interlocked.Add(ref _droppedPackets, droppedPackets);
        Volatile.Write(ref _incomplete, 1);
    }

    private int EmitUntil(long frameCount)
    {
        int emitted = 0;
        ImmutableList<PauseSpan> pauses = Volatile.Read(ref _pauses);
        while (_framesEmitted < frameCount)
        {
            long position = _framesEmitted * FrameSize;
            TimeSpan from = FrameDuration * _framesEmitted;
            bool silence = false;
            foreach (PauseSpan pause in pauses)
            {
                silence |= pause.Overlaps(from, from + FrameDuration);
            }

            _tracks[(int)Party.Agent].ReadFrame(position, _frame, 0, silence);
            _tracks[(int)Party.Prospect].ReadFrame(position, _frame, 1, silence);
            _sink.OnFrame(_frame);
            Volatile.Write(ref _framesEmitted, _framesEmitted + 1);
            emitted++;
        }

        return emitted;
    }

    /// <summary>
    /// Gives the timeline's rings back (all zero, to a pool) once no frame will be read or placed
    /// any more: after <see cref="Stop"/>, or once the consumer thread has ended. Idempotent.
    /// </summary>
    public void Release()
    {
        long readPosition = Volatile.Read(ref _framesEmitted) * FrameSize;
        _stopped = true;
        _tracks[0].Release(readPosition);
        _tracks[1].Release(readPosition);
    }

    private TimeSpan Offset() => _started ? _time.GetElapsedTime(_startTimestamp) : TimeSpan.Zero;

    private void EnsureRunning()
    {
        if (!_started || _stopped)
        {
            throw new InvalidOperationException(_started ? "The recorder is stopped." : "Start the recorder first.");
        }
    }
}
