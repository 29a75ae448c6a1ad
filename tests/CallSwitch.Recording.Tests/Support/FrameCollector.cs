using CallSwitch.Recording.Timeline;

namespace CallSwitch.Recording.Tests.Support;

/// <summary>Counts the recorder's frames and, when asked, keeps their samples.</summary>
internal sealed class FrameCollector(bool keep = true) : IStereoFrameSink
{
    public long Frames { get; private set; }

    public List<short> Samples { get; } = [];

    public void OnFrame(ReadOnlySpan<short> interleaved)
    {
        Frames++;
        if (keep)
        {
            Samples.AddRange(interleaved);
        }
    }

    /// <summary>The samples of one channel of frame <paramref name="frame"/>.</summary>
    public short[] Channel(long frame, int channel) =>
        Enumerable.Range(0, 320).Select(i => Samples[(int)(frame * 640) + (2 * i) + channel]).ToArray();
}
