using Concentus;
using Concentus.Enums;
using ManagedOpusEncoder = Concentus.Structs.OpusEncoder;

namespace CallSwitch.Recording.Opus;

/// <summary>
/// Encodes 20 ms frames of interleaved stereo 16-bit PCM (left = agent, right = prospect) to
/// Opus packets (RFC 6716), with both channels kept apart: stereo is forced
/// (OPUS_SET_FORCE_CHANNELS(2)) and the bitrate is at least
/// <see cref="StereoOpusEncoderOptions.MinimumBitrate"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: one recorder consumer thread owns an instance. <see cref="Encode"/> copies
/// nothing it keeps; both spans belong to the caller. The native implementation does not
/// allocate per frame; the managed one does (Concentus internals).
/// </remarks>
public sealed class StereoOpusEncoder : IDisposable
{
    /// <summary>Opus frames are 20 ms here: 50 per second.</summary>
    public const int FramesPerSecond = 50;

    /// <summary>Samples per channel of one 20 ms frame at 48 kHz (the granule unit, RFC 7845 §4).</summary>
    public const int FrameDuration48k = 48000 / FramesPerSecond;

    /// <summary>Largest packet one frame can produce (RFC 6716 §3.2.1: 1275 bytes per frame).</summary>
    public const int MaxPacketLength = 1275;

    private readonly IOpusEncoder _encoder;

    /// <summary>Creates the encoder the options ask for.</summary>
    /// <exception cref="OpusUnavailableException">Native was asked for and libopus could not be loaded.</exception>
    public StereoOpusEncoder(StereoOpusEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _encoder = options.Implementation == OpusImplementation.Native
            ? CreateNative(options.InputSampleRate)
            : CreateManaged(options.InputSampleRate);

        // Stereo forced so the encoder never downmixes; CELT forced because its dual-stereo
        // coding keeps the channels apart at 48 kbit/s, where SILK's mid/side prediction leaked
        // the other party at -38 dB (libopus) and CELT at 32 kbit/s fell back to intensity
        // stereo (RFC 6716 §4.3.4.3). No DTX: every 20 ms yields a packet, so granule positions
        // follow the timeline.
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        _encoder.ForceMode = OpusMode.MODE_CELT_ONLY;
        _encoder.ForceChannels = 2;
        _encoder.Bitrate = options.Bitrate;
        _encoder.Complexity = options.Complexity;
        _encoder.UseVBR = true;
        _encoder.UseConstrainedVBR = true;
        _encoder.UseDTX = false;
        _encoder.UseInbandFEC = false;
        FrameSize = options.InputSampleRate / FramesPerSecond;
        Lookahead = _encoder.Lookahead;
        VersionString = _encoder.GetVersionString();
    }

    /// <summary>The settings this encoder runs with.</summary>
    public StereoOpusEncoderOptions Options { get; }

    /// <summary>Which implementation runs (for logs and metrics).</summary>
    public OpusImplementation Implementation => Options.Implementation;

    /// <summary>The codec library's version, e.g. "libopus 1.3.1" or "Concentus 2.1.2".</summary>
    public string VersionString { get; }

    /// <summary>Samples per channel of one frame at the input rate.</summary>
    public int FrameSize { get; }

    /// <summary>The encoder's algorithmic delay in input-rate samples.</summary>
    public int Lookahead { get; }

    /// <summary>The OpusHead pre-skip: the lookahead in 48 kHz samples (RFC 7845 §4.2).</summary>
    public int PreSkip => Lookahead * (48000 / Options.InputSampleRate);

    /// <summary>Whether Concentus can load the native libopus on this machine.</summary>
    /// <param name="probeLog">Concentus's probe messages, for the log.</param>
    public static bool IsNativeAvailable(out string probeLog)
    {
        using var log = new StringWriter();
        using IOpusEncoder encoder = OpusCodecFactory.CreateEncoder(16000, 2, OpusApplication.OPUS_APPLICATION_AUDIO, log);
        probeLog = log.ToString();
        return encoder is not ManagedOpusEncoder;
    }

    /// <summary>
    /// Encodes one frame of <see cref="FrameSize"/> interleaved stereo samples (2 × FrameSize
    /// shorts) into <paramref name="packet"/> (at least <see cref="MaxPacketLength"/> bytes).
    /// </summary>
    /// <returns>The packet length.</returns>
    public int Encode(ReadOnlySpan<short> interleaved, Span<byte> packet)
    {
        if (interleaved.Length != FrameSize * 2)
        {
            throw new ArgumentException($"A frame is {FrameSize * 2} interleaved samples.", nameof(interleaved));
        }

        int length = _encoder.Encode(interleaved, FrameSize, packet, packet.Length);
        if (length <= 0)
        {
            throw new InvalidOperationException($"Opus encoding failed with code {length}.");
        }

        return length;
    }

    /// <inheritdoc />
    public void Dispose() => _encoder.Dispose();

    private static IOpusEncoder CreateNative(int sampleRate)
    {
        // The factory is Concentus's only public door to its native adapter: it returns the
        // managed encoder when libopus cannot be loaded, which we refuse rather than hide.
        using var log = new StringWriter();
        IOpusEncoder encoder = OpusCodecFactory.CreateEncoder(sampleRate, 2, OpusApplication.OPUS_APPLICATION_AUDIO, log);
        if (encoder is ManagedOpusEncoder)
        {
            encoder.Dispose();
            throw new OpusUnavailableException("Native libopus is not available (install libopus-dev, or choose Managed). Probe: " + log);
        }

        return encoder;
    }

    private static ManagedOpusEncoder CreateManaged(int sampleRate)
    {
        // Obsolete only to steer callers towards the factory, which would pick native when it
        // can; we want managed exactly, without flipping the factory's global switch.
#pragma warning disable CS0618
        return new ManagedOpusEncoder(sampleRate, 2, OpusApplication.OPUS_APPLICATION_AUDIO);
#pragma warning restore CS0618
    }
}
