using CallSwitch.Media.Mixing;

namespace CallSwitch.Media.Tests.Mixing;

public class PcmMixingTests
{
    [Fact]
    public void VoicesAddSampleBySample()
    {
        int[] sum = new int[3];
        PcmMixing.Accumulate(sum, [100, -200, 300]);
        PcmMixing.Accumulate(sum, [1, 2, -3]);
        short[] pcm = new short[3];
        PcmMixing.Saturate(sum, pcm);
        Assert.Equal(new short[] { 101, -198, 297 }, pcm);
    }

    [Fact]
    public void ALoudMixClipsAtFullScaleInsteadOfWrappingRound()
    {
        int[] sum = new int[4];
        PcmMixing.Accumulate(sum, [30000, -30000, short.MaxValue, short.MinValue]);
        PcmMixing.Accumulate(sum, [30000, -30000, short.MaxValue, short.MinValue]);
        PcmMixing.Accumulate(sum, [30000, -30000, 0, 0]);
        short[] pcm = new short[4];
        PcmMixing.Saturate(sum, pcm);
        Assert.Equal(new[] { short.MaxValue, short.MinValue, short.MaxValue, short.MinValue }, pcm);
    }

    [Fact]
    public void ShortBuffersAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PcmMixing.Accumulate(new int[2], new short[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PcmMixing.Saturate(new int[3], new short[2]));
    }
}
