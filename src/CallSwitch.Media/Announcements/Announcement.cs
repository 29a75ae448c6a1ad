using System.Security.Cryptography;
using CallSwitch.Media.Codecs;
using NAudio.Wave.SampleProviders;

namespace CallSwitch.Media.Announcements;

/// <summary>
/// A recorded announcement (e.g. the GDPR recording notice), loaded and validated once — at
/// configuration load — and then shared read-only by every call.
/// </summary>
/// <remarks>
/// <para>
/// Loading reads the whole file, hashes it (SHA-256, stored with recordings to prove which
/// notice was played), decodes any WAV NAudio reads (PCM 8/16/24/32-bit, IEEE float 32/64-bit,
/// any channel count, averaged to mono, any rate), resamples once to each codec's PCM rate
/// with NAudio's WDL sinc resampler (8 kHz for G.711, 16 kHz for G.722), converts to PCM16 and
/// pre-encodes 20 ms payloads per codec. Every failure is an
/// <see cref="AnnouncementLoadException"/> at load; playing cannot fail.
/// </para>
/// <para>Thread-safe: immutable after <see cref="Load(string, AnnouncementLoadOptions?)"/> returns.</para>
/// </remarks>
public sealed class Announcement
{
    private readonly Dictionary<AudioCodecId, EncodedAnnouncement> _encoded = [];
    private readonly Dictionary<int, short[]> _pcmByRate = [];

    private Announcement(string source, string sha256, string sourceFormat, TimeSpan duration)
    {
        Source = source;
        Sha256 = sha256;
        SourceFormat = sourceFormat;
        Duration = duration;
    }

    /// <summary>Where the audio came from (the path given to <see cref="Load(string, AnnouncementLoadOptions?)"/>).</summary>
    public string Source { get; }

    /// <summary>SHA-256 of the source file's bytes, lower-case hex.</summary>
    public string Sha256 { get; }

    /// <summary>The source file's format, e.g. "PCM 16-bit, 1 channel(s), 16000 Hz".</summary>
    public string SourceFormat { get; }

    /// <summary>Duration of the source audio.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The codecs this announcement was pre-encoded for.</summary>
    public IEnumerable<AudioCodecInfo> Codecs => _encoded.Values.Select(e => e.Codec);

    /// <summary>Loads, validates, converts and pre-encodes a WAV file.</summary>
    /// <exception cref="AnnouncementLoadException">The file is missing, unreadable, not a supported WAV, empty or too long.</exception>
    public static Announcement Load(string path, AnnouncementLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= AnnouncementLoadOptions.Default;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new AnnouncementLoadException($"Announcement file '{path}' does not exist.");
            }

            if (info.Length > options.MaxFileBytes)
            {
                throw new AnnouncementLoadException(
                    $"Announcement file '{path}' is {info.Length} bytes, more than the {options.MaxFileBytes} allowed.");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new AnnouncementLoadException($"Announcement file '{path}' cannot be read: {e.Message}", e);
        }

        return FromWaveBytes(bytes, path, options);
    }

    /// <summary>Loads a WAV file already in memory; <paramref name="source"/> names it in errors and metadata.</summary>
    /// <exception cref="AnnouncementLoadException">Not a supported WAV, empty or too long.</exception>
    public static Announcement FromWaveBytes(byte[] fileBytes, string source, AnnouncementLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fileBytes);
        ArgumentNullException.ThrowIfNull(source);
        options ??= AnnouncementLoadOptions.Default;
        var (samples, rate, format) = WaveSampleDecoder.ReadMono(fileBytes, source, options.MaxDuration);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(fileBytes));
        var announcement = new Announcement(source, sha256, format, TimeSpan.FromSeconds((double)samples.Length / rate));

        var codecs = options.Codecs ?? options.Registry.Codecs;
        if (codecs.Count == 0)
        {
            throw new ArgumentException("At least one codec is needed.", nameof(options));
        }

        foreach (var codec in codecs)
        {
            if (announcement._encoded.ContainsKey(codec.Id))
            {
                continue;
            }

            if (!announcement._pcmByRate.TryGetValue(codec.SampleRate, out var pcm))
            {
                pcm = ToPcm16(Resample(samples, rate, codec.SampleRate));
                announcement._pcmByRate.Add(codec.SampleRate, pcm);
            }

            var encoder = options.Registry.CreateEncoder(codec);
            announcement._encoded.Add(codec.Id, new EncodedAnnouncement(announcement, codec, Encode(pcm, encoder)));
        }

        return announcement;
    }

    /// <summary>The pre-encoded frames for <paramref name="codec"/>.</summary>
    /// <exception cref="KeyNotFoundException">The codec was not among those loaded.</exception>
    public EncodedAnnouncement GetEncoded(AudioCodecInfo codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return _encoded.TryGetValue(codec.Id, out var encoded)
            ? encoded
            : throw new KeyNotFoundException($"Announcement '{Source}' was not prepared for {codec.EncodingName}.");
    }

    /// <summary>The mono PCM16 signal at <paramref name="sampleRate"/> (one of the loaded codecs' rates); shared, do not modify.</summary>
    public ReadOnlyMemory<short> GetPcm(int sampleRate) =>
        _pcmByRate.TryGetValue(sampleRate, out var pcm)
            ? pcm
            : throw new KeyNotFoundException($"Announcement '{Source}' was not converted to {sampleRate} Hz.");

    /// <summary>Creates a player of the <paramref name="codec"/> frames for one playback.</summary>
    public AnnouncementPlayer CreatePlayer(AudioCodecInfo codec) => GetEncoded(codec).CreatePlayer();

    private static float[] Resample(float[] samples, int fromRate, int toRate)
    {
        if (fromRate == toRate)
        {
            return samples;
        }

        var resampler = new WdlResamplingSampleProvider(new FloatArraySampleProvider(samples, fromRate), toRate);
        var expected = (int)((long)samples.Length * toRate / fromRate);
        var output = new List<float>(expected + 1024);
        var buffer = new float[4096];
        int read;
        while ((read = resampler.Read(buffer)) > 0)
        {
            output.AddRange(buffer.AsSpan(0, read));
        }

        return [.. output];
    }

    private static short[] ToPcm16(float[] samples)
    {
        var pcm = new short[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            pcm[i] = (short)Math.Clamp((int)MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue);
        }

        return pcm;
    }

    private static byte[] Encode(short[] pcm, IAudioEncoder encoder)
    {
        var codec = encoder.Codec;
        var frames = Math.Max(1, (pcm.Length + codec.SamplesPerFrame - 1) / codec.SamplesPerFrame);
        var padded = new short[frames * codec.SamplesPerFrame]; // the tail of the last frame is silence
        pcm.CopyTo(padded, 0);
        var payloads = new byte[frames * codec.BytesPerFrame];
        for (var f = 0; f < frames; f++)
        {
            encoder.Encode(
                padded.AsSpan(f * codec.SamplesPerFrame, codec.SamplesPerFrame),
                payloads.AsSpan(f * codec.BytesPerFrame, codec.BytesPerFrame));
        }

        return payloads;
    }
}
