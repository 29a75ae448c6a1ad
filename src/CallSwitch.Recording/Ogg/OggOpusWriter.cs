namespace CallSwitch.Recording.Ogg;

/// <summary>
/// Writes one Ogg Opus stream (RFC 7845 over RFC 3533): the ID header alone on the first page,
/// the comment header on its own page, then audio packets with granule positions in 48 kHz
/// samples: the count of every sample decoded so far, the pre-skip samples included, so the
/// playable position is granule − pre-skip (RFC 7845 §4; a first page whose granule exceeds
/// its samples would mean a stream starting late, §4.5). A page is written at
/// least once per second of audio, so a crash loses at most one second.
/// </summary>
/// <remarks>
/// <para>
/// Single-threaded: the recorder's consumer thread owns an instance. Packet spans are copied;
/// the caller keeps ownership. The stream is not disposed by this writer.
/// </para>
/// <para>
/// The last page written by <see cref="Complete"/> carries the end-of-stream flag and at least
/// one packet (opusinfo rejects an EOS on an empty page), so the writer always holds the most
/// recent packet back until the next one arrives or the stream completes.
/// </para>
/// </remarks>
public sealed class OggOpusWriter
{
    /// <summary>Granule positions of Opus are always 48 kHz samples (RFC 7845 §4).</summary>
    public const int GranuleRate = 48000;

    private readonly Stream _output;
    private readonly OggPageWriter _pages;
    private readonly int _preSkip;
    private readonly int _maxPageDuration;
    private long _granulePosition;
    private long _pendingDuration;
    private bool _completed;

    /// <summary>
    /// Writes both headers (RFC 7845 §3: the ID header on a page of its own with the
    /// beginning-of-stream flag, the comment header finishing its page) and flushes them.
    /// </summary>
    /// <param name="output">Where pages go; flushed after each page.</param>
    /// <param name="serialNumber">The Ogg bitstream serial number (random per file).</param>
    /// <param name="channelCount">1 or 2.</param>
    /// <param name="preSkip">Samples (48 kHz) the decoder must discard: the encoder's lookahead (§4.2).</param>
    /// <param name="inputSampleRate">The original PCM rate, informational (§5.1).</param>
    /// <param name="tags">Recording and campaign ids for the comment header.</param>
    /// <param name="maxPageDuration">Longest audio a page may hold; one second by default.</param>
    public OggOpusWriter(
        Stream output,
        uint serialNumber,
        int channelCount,
        int preSkip,
        int inputSampleRate,
        RecordingTags tags,
        TimeSpan? maxPageDuration = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _preSkip = preSkip;
        _pages = new OggPageWriter(output, serialNumber);
        TimeSpan pageDuration = maxPageDuration ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageDuration, TimeSpan.FromMilliseconds(20));
        _maxPageDuration = (int)(pageDuration.Ticks * GranuleRate / TimeSpan.TicksPerSecond);

        _pages.AddPacket(OpusHeaders.BuildIdHeader(channelCount, preSkip, inputSampleRate), 0);
        _pages.WritePage(endOfStream: false);
        _pages.AddPacket(OpusHeaders.BuildCommentHeader(tags), 0);
        _pages.WritePage(endOfStream: false);
        _output.Flush();
    }

    /// <summary>Granule position after the last packet written (decoded samples, pre-skip included).</summary>
    public long GranulePosition => _granulePosition;

    /// <summary>Pages written so far, headers included.</summary>
    public uint PagesWritten => _pages.PagesWritten;

    /// <summary>Whether <see cref="Complete"/> has run.</summary>
    public bool IsCompleted => _completed;

    /// <summary>
    /// Adds one Opus packet that decodes to <paramref name="duration48k"/> samples at 48 kHz.
    /// Writes the pending page first when the packet would take it past the page duration.
    /// </summary>
    public void WritePacket(ReadOnlySpan<byte> packet, int duration48k)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration48k, 1);
        if (_pages.PendingPackets > 0 &&
            (_pendingDuration + duration48k > _maxPageDuration || !_pages.Fits(packet.Length)))
        {
            _pages.WritePage(endOfStream: false);
            _output.Flush();
            _pendingDuration = 0;
        }

        _granulePosition += duration48k;
        _pendingDuration += duration48k;
        _pages.AddPacket(packet, _granulePosition);
    }

    /// <summary>
    /// Writes the last page with the end-of-stream flag. <paramref name="audioSamples48k"/> is
    /// the length of real audio (48 kHz samples) the stream carries; the final granule becomes
    /// pre-skip + that length, which trims the padding of the last packet (RFC 7845 §4.4).
    /// </summary>
    /// <exception cref="InvalidOperationException">No audio packet was written, or the trim is larger than allowed.</exception>
    public void Complete(long audioSamples48k)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_pages.PendingPackets == 0)
        {
            throw new InvalidOperationException("An Ogg Opus stream needs at least one audio packet before it ends.");
        }

        long finalGranule = _preSkip + audioSamples48k;
        if (finalGranule > _granulePosition || finalGranule < _granulePosition - _pendingDuration)
        {
            // §4.4: end trimming may only discard samples of the last page's packets.
            throw new InvalidOperationException(
                $"Final granule {finalGranule} is outside the last page ({_granulePosition - _pendingDuration}..{_granulePosition}).");
        }

        _pages.WritePage(endOfStream: true, finalGranule);
        _output.Flush();
        _completed = true;
    }
}
