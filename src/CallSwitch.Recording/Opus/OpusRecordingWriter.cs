using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Recording.Opus;

/// <summary>
/// Turns the recorder's stereo frames into an Ogg Opus stream: each frame is encoded by a
/// <see cref="StereoOpusEncoder"/> and written by an <see cref="OggOpusWriter"/> with its
/// 48 kHz granule position.
/// </summary>
/// <remarks>
/// Single-threaded (the recorder's consumer thread). Owns the encoder (disposes it); does not
/// own or dispose the output stream. No allocation per frame beyond the encoder's own.
/// </remarks>
public sealed class OpusRecordingWriter : IStereoFrameSink, IDisposable
{
    private readonly StereoOpusEncoder _encoder;
    private readonly OggOpusWriter _ogg;
    private readonly byte[] _packet = new byte[StereoOpusEncoder.MaxPacketLength];
    private readonly short[] _silence;
    private readonly byte[] _silentPacket = new byte[StereoOpusEncoder.MaxPacketLength];
    private int _silentPacketLength;
    private int _silentRun;
    private bool _settled;
    private long _frames;

    /// <summary>
    /// Silent frames in a row the encoder is always given. After them, once it returns for a silent
    /// frame the very packet it returned for the one before, its state (delay line, filters, band
    /// energies) has settled: it would return the same bytes and stay in the same state for every
    /// further silent frame, so that packet is reused without calling it (proven bit for bit, speech
    /// after the silence included, by <c>OpusRecordingWriterTests</c>; libopus 1.3 settles after ~14
    /// frames). An idle recording (a silent call, a pause, a hold) then costs no encoder call.
    /// </summary>
    internal const int SilentFramesBeforeReuse = 25;

    /// <summary>
    /// Audio per Ogg page: each page is flushed (sealed as a chunk) when the next starts, so a
    /// kill -9 loses at most this much plus the timeline's playout delay — under the one second
    /// allowed — for about 100 bytes of page and chunk overhead per second.
    /// </summary>
    public static readonly TimeSpan PageDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Writes the Ogg Opus headers to <paramref name="output"/> and takes ownership of <paramref name="encoder"/>.</summary>
    public OpusRecordingWriter(Stream output, StereoOpusEncoder encoder, RecordingTags tags, uint serialNumber)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _encoder = encoder;
        _silence = new short[encoder.FrameSize * 2];
        _ogg = new OggOpusWriter(output, serialNumber, 2, encoder.PreSkip, encoder.Options.InputSampleRate, tags, PageDuration);
    }

    /// <summary>Frames encoded so far (not counting the final flush frame).</summary>
    public long FramesWritten => _frames;

    /// <summary>Audio length written so far.</summary>
    public TimeSpan Duration => TimeSpan.FromMilliseconds(_frames * 20);

    /// <summary>The encoder in use (implementation, version, pre-skip).</summary>
    public StereoOpusEncoder Encoder => _encoder;

    /// <inheritdoc />
    public void OnFrame(ReadOnlySpan<short> interleaved)
    {
        bool silent = !interleaved.ContainsAnyExcept((short)0);
        if (silent && _settled)
        {
            _ogg.WritePacket(_silentPacket.AsSpan(0, _silentPacketLength), StereoOpusEncoder.FrameDuration48k);
            _frames++;
            SilentFramesReused++;
            return;
        }

        int length = _encoder.Encode(interleaved, _packet);
        _ogg.WritePacket(_packet.AsSpan(0, length), StereoOpusEncoder.FrameDuration48k);
        _frames++;
        if (!silent)
        {
            _silentRun = 0;
            _settled = false;
            return;
        }

        ReadOnlySpan<byte> packet = _packet.AsSpan(0, length);
        _settled = ++_silentRun >= SilentFramesBeforeReuse && packet.SequenceEqual(_silentPacket.AsSpan(0, _silentPacketLength));
        packet.CopyTo(_silentPacket);
        _silentPacketLength = length;
    }

    /// <summary>Silent frames written with the settled encoder's packet instead of an encoder call.</summary>
    public long SilentFramesReused { get; private set; }

    /// <summary>
    /// Ends the stream: one frame of silence pushes the encoder's lookahead out, and the final
    /// granule trims it so the file lasts exactly <see cref="FramesWritten"/> × 20 ms
    /// (RFC 7845 §4.4).
    /// </summary>
    public void Complete()
    {
        int length = _encoder.Encode(_silence, _packet);
        _ogg.WritePacket(_packet.AsSpan(0, length), StereoOpusEncoder.FrameDuration48k);
        _ogg.Complete(_frames * StereoOpusEncoder.FrameDuration48k);
    }

    /// <inheritdoc />
    public void Dispose() => _encoder.Dispose();
}
