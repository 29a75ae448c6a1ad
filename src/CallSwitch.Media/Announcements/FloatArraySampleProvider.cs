using NAudio.Wave;

namespace CallSwitch.Media.Announcements;

/// <summary>Feeds an in-memory mono float signal to NAudio sample-provider chains (used at load only).</summary>
internal sealed class FloatArraySampleProvider(float[] samples, int sampleRate) : ISampleProvider
{
    private int _position;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);

    public int Read(Span<float> buffer)
    {
        var count = Math.Min(buffer.Length, samples.Length - _position);
        samples.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
