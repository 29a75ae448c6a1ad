using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Media.Codecs;

/// <summary>
/// Maps an SDP rtpmap (encoding name, clock rate) to a codec and its factories. Immutable and
/// thread-safe: build it at startup and share it.
/// </summary>
/// <remarks>
/// Encoding names compare case-insensitively, as RFC 4566 §6 (a=rtpmap) and RFC 3551 §6
/// require ("PCMU", "pcmu"). The clock rate must match exactly: G.722 is "G722/8000" even though
/// it samples at 16 kHz (RFC 3551 §4.5.2).
/// </remarks>
public sealed class CodecRegistry
{
    private readonly Dictionary<string, CodecRegistration[]> _byName;
    private readonly Dictionary<AudioCodecId, CodecRegistration> _byId = [];

    /// <summary>Creates a registry holding <paramref name="registrations"/>.</summary>
    /// <exception cref="ArgumentException">Two registrations share a name and clock rate, or a codec id.</exception>
    public CodecRegistry(IEnumerable<CodecRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        var byName = new Dictionary<string, List<CodecRegistration>>(StringComparer.OrdinalIgnoreCase);
        foreach (var registration in registrations)
        {
            ArgumentNullException.ThrowIfNull(registration);
            var codec = registration.Codec;
            if (!byName.TryGetValue(codec.EncodingName, out var list))
            {
                list = [];
                byName.Add(codec.EncodingName, list);
            }

            if (list.Exists(r => r.Codec.RtpClockRate == codec.RtpClockRate))
            {
                throw new ArgumentException(
                    $"{codec.EncodingName}/{codec.RtpClockRate} is registered twice.", nameof(registrations));
            }

            if (!_byId.TryAdd(codec.Id, registration))
            {
                throw new ArgumentException($"Codec {codec.Id} is registered twice.", nameof(registrations));
            }

            list.Add(registration);
        }

        _byName = byName.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        Codecs = [.. _byId.Values.Select(r => r.Codec)];
    }

    /// <summary>PCMU/8000, PCMA/8000 and G722/8000.</summary>
    public static CodecRegistry Default { get; } = new(
    [
        new(AudioCodecInfo.Pcmu, () => new G711Decoder(AudioCodecId.Pcmu), () => new G711Encoder(AudioCodecId.Pcmu)),
        new(AudioCodecInfo.Pcma, () => new G711Decoder(AudioCodecId.Pcma), () => new G711Encoder(AudioCodecId.Pcma)),
        new(AudioCodecInfo.G722, () => new G722Decoder(), () => new G722Encoder()),
    ]);

    /// <summary>Every registered codec.</summary>
    public IReadOnlyList<AudioCodecInfo> Codecs { get; }

    /// <summary>Looks up a codec by its SDP encoding name and clock rate.</summary>
    public bool TryGet(string encodingName, int clockRate, [NotNullWhen(true)] out AudioCodecInfo? codec)
    {
        ArgumentNullException.ThrowIfNull(encodingName);
        codec = null;
        if (_byName.TryGetValue(encodingName, out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (candidate.Codec.RtpClockRate == clockRate)
                {
                    codec = candidate.Codec;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Looks up a codec by its SDP encoding name and clock rate.</summary>
    /// <exception cref="KeyNotFoundException">No such codec is registered.</exception>
    public AudioCodecInfo Get(string encodingName, int clockRate) =>
        TryGet(encodingName, clockRate, out var codec)
            ? codec
            : throw new KeyNotFoundException($"No codec is registered for {encodingName}/{clockRate}.");

    /// <summary>Creates a decoder for one stream of <paramref name="codec"/>.</summary>
    public IAudioDecoder CreateDecoder(AudioCodecInfo codec) => Find(codec).CreateDecoder();

    /// <summary>Creates an encoder for one stream of <paramref name="codec"/>.</summary>
    public IAudioEncoder CreateEncoder(AudioCodecInfo codec) => Find(codec).CreateEncoder();

    /// <summary>Creates a transcoder for one call direction, from <paramref name="source"/> to <paramref name="target"/>.</summary>
    public Transcoder CreateTranscoder(AudioCodecInfo source, AudioCodecInfo target) =>
        new(CreateDecoder(source), CreateEncoder(target));

    private CodecRegistration Find(AudioCodecInfo codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return _byId.TryGetValue(codec.Id, out var registration)
            ? registration
            : throw new KeyNotFoundException($"Codec {codec.EncodingName} is not registered.");
    }
}
