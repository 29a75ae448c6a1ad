namespace CallSwitch.Recording.Opus;

/// <summary>Settings of a <see cref="StereoOpusEncoder"/>. Immutable.</summary>
public sealed record StereoOpusEncoderOptions
{
    /// <summary>
    /// The lowest bitrate accepted. Stereo Opus merges the channels when bits are short: below
    /// ~22 kbit/s (SILK mid/side) and, in CELT, through intensity stereo. Measured on tones
    /// (agent 440 Hz, prospect 1 kHz, 16 kHz input, CELT forced): at 32 kbit/s Concentus kept
    /// only 4 dB between the parties, at 48 kbit/s both Concentus and libopus 1.3.1 code the
    /// channels apart (the other party ≥ 59 dB below), well above the 20 dB promised.
    /// </summary>
    public const int MinimumBitrate = 48000;

    /// <summary>Which encoder to run; chosen explicitly, never by probing.</summary>
    public OpusImplementation Implementation { get; init; } = OpusImplementation.Native;

    /// <summary>PCM rate fed to the encoder: 8000, 12000, 16000, 24000 or 48000 (RFC 6716 §2).</summary>
    public int InputSampleRate { get; init; } = 16000;

    /// <summary>Target bitrate in bit/s for both channels together; at least <see cref="MinimumBitrate"/>.</summary>
    public int Bitrate { get; init; } = 48000;

    /// <summary>
    /// Encoder complexity 0–10. 0 by default: in CELT it only trims the encoder's analysis
    /// (pitch pre-filter, transient and spreading decisions), not the coding of each channel, so
    /// the parties stay apart as at 5 or 10 (tones and band-limited noise, both parties
    /// talking: the other party 36–80 dB below at every complexity measured), at well under half
    /// the cost per frame (bench/README.md, "Recording on"): the recorder is the switch's biggest
    /// CPU cost when every call is recorded.
    /// </summary>
    public int Complexity { get; init; }

    /// <summary>Throws when a setting is outside its range.</summary>
    public void Validate()
    {
        if (InputSampleRate is not (8000 or 12000 or 16000 or 24000 or 48000))
        {
            throw new ArgumentOutOfRangeException(nameof(InputSampleRate), InputSampleRate, "Opus accepts 8, 12, 16, 24 or 48 kHz.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Bitrate, MinimumBitrate, nameof(Bitrate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Bitrate, 510000, nameof(Bitrate));
        ArgumentOutOfRangeException.ThrowIfNegative(Complexity, nameof(Complexity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Complexity, 10, nameof(Complexity));
        if (!Enum.IsDefined(Implementation))
        {
            throw new ArgumentOutOfRangeException(nameof(Implementation), Implementation, "Unknown Opus implementation.");
        }
    }
}
