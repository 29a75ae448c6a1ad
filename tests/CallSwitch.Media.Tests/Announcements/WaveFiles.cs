using System.Buffers.Binary;
using NAudio.Wave;

namespace CallSwitch.Media.Tests.Announcements;

/// <summary>Builds WAV files in memory in any format, for loader tests.</summary>
internal static class WaveFiles
{
    /// <summary>A sine of <paramref name="amplitude"/> (full scale 1.0) on every channel.</summary>
    public static byte[] Sine(WaveFormat format, double frequency, TimeSpan duration, double amplitude = 0.5)
    {
        var frames = (int)(duration.TotalSeconds * format.SampleRate);
        var bytesPerSample = format.BitsPerSample / 8;
        var isFloat = format.Encoding == WaveFormatEncoding.IeeeFloat
            || (format is WaveFormatExtensible x && x.SubFormat == AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT);
        var data = new byte[frames * format.Channels * bytesPerSample];
        for (var f = 0; f < frames; f++)
        {
            var value = amplitude * Math.Sin(2 * Math.PI * frequency * f / format.SampleRate);
            for (var c = 0; c < format.Channels; c++)
            {
                WriteSample(data.AsSpan(((f * format.Channels) + c) * bytesPerSample, bytesPerSample), value, format.BitsPerSample, isFloat);
            }
        }

        return Build(format, data);
    }

    public static byte[] Build(WaveFormat format, byte[] data)
    {
        var stream = new MemoryStream();
        using (var writer = new WaveFileWriter(stream, format))
        {
            writer.Write(data, 0, data.Length);
        }

        return stream.ToArray();
    }

    private static void WriteSample(Span<byte> destination, double value, int bits, bool isFloat)
    {
        if (isFloat)
        {
            if (bits == 32)
            {
                BinaryPrimitives.WriteSingleLittleEndian(destination, (float)value);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(destination, value);
            }

            return;
        }

        switch (bits)
        {
            case 8:
                destination[0] = (byte)Math.Round(128 + (value * 127));
                break;
            case 16:
                BinaryPrimitives.WriteInt16LittleEndian(destination, (short)Math.Round(value * 32767));
                break;
            case 24:
                var v24 = (int)Math.Round(value * 8388607);
                destination[0] = (byte)v24;
                destination[1] = (byte)(v24 >> 8);
                destination[2] = (byte)(v24 >> 16);
                break;
            default:
                BinaryPrimitives.WriteInt32LittleEndian(destination, (int)Math.Round(value * int.MaxValue));
                break;
        }
    }
}
