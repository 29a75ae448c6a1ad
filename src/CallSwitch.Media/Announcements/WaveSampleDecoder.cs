using System.Buffers.Binary;
using NAudio.Wave;

namespace CallSwitch.Media.Announcements;

/// <summary>
/// Reads a WAV file (through NAudio's <see cref="WaveFileReader"/>) into a mono float signal in
/// [−1, 1]: integer PCM of 8 (unsigned), 16, 24 or 32 bits, IEEE float of 32 or 64 bits, plain or
/// WAVE_FORMAT_EXTENSIBLE, any number of channels (averaged). Load-time only.
/// </summary>
internal static class WaveSampleDecoder
{
    private const int MinSampleRate = 4000;
    private const int MaxSampleRate = 384000;

    /// <summary>Decodes <paramref name="fileBytes"/>; throws <see cref="AnnouncementLoadException"/> naming <paramref name="source"/>.</summary>
    public static (float[] Samples, int SampleRate, string Format) ReadMono(byte[] fileBytes, string source, TimeSpan maxDuration)
    {
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(new MemoryStream(fileBytes, writable: false));
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or IOException)
        {
            throw new AnnouncementLoadException($"Announcement '{source}' is not a readable WAV file: {e.Message}", e);
        }

        using (reader)
        {
            var format = reader.WaveFormat;
            var isFloat = IsFloat(format, source);
            var bits = format.BitsPerSample;
            var supported = isFloat ? bits is 32 or 64 : bits is 8 or 16 or 24 or 32;
            var description = $"{(isFloat ? "IEEE float" : "PCM")} {bits}-bit, {format.Channels} channel(s), {format.SampleRate} Hz";
            if (!supported)
            {
                throw new AnnouncementLoadException($"Announcement '{source}' uses an unsupported sample size: {description}.");
            }

            if (format.Channels < 1 || format.SampleRate is < MinSampleRate or > MaxSampleRate
                || format.BlockAlign != format.Channels * bits / 8)
            {
                throw new AnnouncementLoadException($"Announcement '{source}' has an invalid format header: {description}, block align {format.BlockAlign}.");
            }

            var frames = reader.Length / format.BlockAlign;
            if (frames == 0)
            {
                throw new AnnouncementLoadException($"Announcement '{source}' contains no audio.");
            }

            var duration = TimeSpan.FromSeconds((double)frames / format.SampleRate);
            if (duration > maxDuration)
            {
                throw new AnnouncementLoadException(
                    $"Announcement '{source}' lasts {duration.TotalSeconds:F1} s, more than the {maxDuration.TotalSeconds:F0} s allowed.");
            }

            var data = new byte[frames * format.BlockAlign];
            var read = 0;
            while (read < data.Length)
            {
                var n = reader.Read(data.AsSpan(read));
                if (n == 0)
                {
                    throw new AnnouncementLoadException($"Announcement '{source}' is truncated: its data chunk ends early.");
                }

                read += n;
            }

            return (ToMono(data, format.Channels, bits, isFloat), format.SampleRate, description);
        }
    }

    private static bool IsFloat(WaveFormat format, string source)
    {
        switch (format.Encoding)
        {
            case WaveFormatEncoding.Pcm:
                return false;
            case WaveFormatEncoding.IeeeFloat:
                return true;
            case WaveFormatEncoding.Extensible:
                var subFormat = ExtensibleSubFormat(format);
                if (subFormat == AudioMediaSubtypes.MEDIASUBTYPE_PCM)
                {
                    return false;
                }

                if (subFormat == AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT)
                {
                    return true;
                }

                throw new AnnouncementLoadException(
                    $"Announcement '{source}' uses an unsupported WAVE_FORMAT_EXTENSIBLE sub-format {subFormat}; use PCM or IEEE float.");
            default:
                throw new AnnouncementLoadException(
                    $"Announcement '{source}' uses the unsupported encoding {format.Encoding}; use PCM (8/16/24/32-bit) or IEEE float.");
        }
    }

    /// <summary>
    /// The sub-format GUID of a WAVE_FORMAT_EXTENSIBLE header: NAudio's reader exposes it either
    /// as <see cref="WaveFormatExtensible"/> or as raw extra bytes (cbSize 22: valid bits (2),
    /// channel mask (4), sub-format GUID (16), per the WAVEFORMATEXTENSIBLE layout).
    /// </summary>
    private static Guid ExtensibleSubFormat(WaveFormat format) => format switch
    {
        WaveFormatExtensible extensible => extensible.SubFormat,
        WaveFormatExtraData { ExtraData.Length: >= 22 } extra => new Guid(extra.ExtraData.AsSpan(6, 16)),
        _ => Guid.Empty,
    };

    private static float[] ToMono(byte[] data, int channels, int bits, bool isFloat)
    {
        var bytesPerSample = bits / 8;
        var frameBytes = bytesPerSample * channels;
        var frames = data.Length / frameBytes;
        var mono = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            var sum = 0.0;
            var frame = data.AsSpan(f * frameBytes, frameBytes);
            for (var c = 0; c < channels; c++)
            {
                sum += ReadSample(frame.Slice(c * bytesPerSample, bytesPerSample), bits, isFloat);
            }

            mono[f] = (float)(sum / channels);
        }

        return mono;
    }

    private static double ReadSample(ReadOnlySpan<byte> bytes, int bits, bool isFloat)
    {
        if (isFloat)
        {
            var value = bits == 32
                ? BinaryPrimitives.ReadSingleLittleEndian(bytes)
                : BinaryPrimitives.ReadDoubleLittleEndian(bytes);
            return double.IsFinite(value) ? Math.Clamp(value, -1.0, 1.0) : 0.0;
        }

        return bits switch
        {
            8 => (bytes[0] - 128) / 128.0, // 8-bit WAV is unsigned, offset by 128
            16 => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768.0,
            24 => (bytes[0] | (bytes[1] << 8) | ((sbyte)bytes[2] << 16)) / 8388608.0,
            _ => BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0,
        };
    }
}
