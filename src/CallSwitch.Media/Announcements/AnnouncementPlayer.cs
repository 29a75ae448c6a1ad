namespace CallSwitch.Media.Announcements;

/// <summary>
/// One playback of a pre-encoded announcement: a passive pull source that hands out the next
/// 20 ms payload each time the media clock ticks, and reports whether it was played in full.
/// </summary>
/// <remarks>
/// <para>
/// Threading: <see cref="TryGetNextFrame"/> is called by one thread (the media tick of the call
/// leg); <see cref="Stop"/> and the read-only members may be called from any thread (e.g. the
/// signalling thread on BYE, or a DTMF handler). State changes are atomic: once
/// <see cref="Stop"/> has returned, later pulls get nothing (a pull already in progress on the
/// media thread may still deliver its frame).
/// </para>
/// <para>
/// Buffers: the payload is copied into the caller's span; nothing is retained. Pulling a frame
/// never allocates. <see cref="Completion"/> is completed once, asynchronously, so awaiting code
/// never runs on the media thread.
/// </para>
/// </remarks>
public sealed class AnnouncementPlayer
{
    private readonly TaskCompletionSource<AnnouncementPlaybackState> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _state = (int)AnnouncementPlaybackState.Playing;
    private int _nextFrame;

    /// <summary>Creates a player positioned at the first frame.</summary>
    public AnnouncementPlayer(EncodedAnnouncement audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        Audio = audio;
    }

    /// <summary>What is played (codec, frames, and the source's SHA-256 via <see cref="EncodedAnnouncement.Announcement"/>).</summary>
    public EncodedAnnouncement Audio { get; }

    /// <summary>Current state.</summary>
    public AnnouncementPlaybackState State => (AnnouncementPlaybackState)Volatile.Read(ref _state);

    /// <summary>True once the last frame was handed out.</summary>
    public bool PlayedInFull => State == AnnouncementPlaybackState.Completed;

    /// <summary>Frames handed out so far.</summary>
    public int FramesPlayed => Volatile.Read(ref _nextFrame);

    /// <summary>Playing time handed out so far.</summary>
    public TimeSpan Position => Codecs.AudioCodecInfo.FrameDuration * FramesPlayed;

    /// <summary>Completes with <see cref="AnnouncementPlaybackState.Completed"/> or <see cref="AnnouncementPlaybackState.Stopped"/>.</summary>
    public Task<AnnouncementPlaybackState> Completion => _completion.Task;

    /// <summary>
    /// Copies the next frame's payload into <paramref name="payload"/> (at least
    /// <see cref="EncodedAnnouncement.FrameLength"/> bytes).
    /// </summary>
    /// <param name="payload">The caller's buffer.</param>
    /// <param name="length">Bytes written, when true is returned; otherwise 0.</param>
    /// <returns>False when the announcement is finished or stopped: stop sending it.</returns>
    public bool TryGetNextFrame(Span<byte> payload, out int length)
    {
        length = 0;
        if (State != AnnouncementPlaybackState.Playing)
        {
            return false;
        }

        var index = _nextFrame;
        if (index >= Audio.FrameCount)
        {
            Finish(AnnouncementPlaybackState.Completed);
            return false;
        }

        var frame = Audio.GetFrame(index);
        if (payload.Length < frame.Length)
        {
            throw new ArgumentException($"The payload buffer must hold {frame.Length} bytes.", nameof(payload));
        }

        frame.CopyTo(payload);
        length = frame.Length;
        Volatile.Write(ref _nextFrame, index + 1);
        if (index + 1 == Audio.FrameCount)
        {
            Finish(AnnouncementPlaybackState.Completed);
        }

        return true;
    }

    /// <summary>Cuts the playback short (caller hung up, pressed a key, ...).</summary>
    /// <returns>True when this call stopped it; false when it had already completed or been stopped.</returns>
    public bool Stop() => Finish(AnnouncementPlaybackState.Stopped);

    private bool Finish(AnnouncementPlaybackState outcome)
    {
        if (Interlocked.CompareExchange(ref _state, (int)outcome, (int)AnnouncementPlaybackState.Playing)
            != (int)AnnouncementPlaybackState.Playing)
        {
            return false;
        }

        _completion.TrySetResult(outcome);
        return true;
    }
}
