using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Tests.Codecs;

public sealed class ResamplerTests
{
    [Fact]
    public void UpsamplingKeepsAToneAndItsLevel()
    {
        var up = new HalfBandUpsampler();
        var input = SignalMath.Sine(1000, 8000, 1600, 10000);
        var output = new short[3200];
        for (var f = 0; f < 10; f++)
        {
            up.Process(input.AsSpan(f * 160, 160), output.AsSpan(f * 320, 320));
        }

        var steady = output.AsSpan(640);
        var level = SignalMath.ToneAmplitude(steady, 1000, 16000);
        Assert.InRange(level, 9800, 10200);

        // The image at 8000 − 1000 Hz that zero-stuffing creates is filtered away.
        Assert.True(SignalMath.ToneAmplitude(steady, 7000, 16000) < 10);
    }

    [Fact]
    public void DownsamplingKeepsAPassBandToneAndRemovesAnAliasingOne()
    {
        var down = new HalfBandDownsampler();
        var pass = SignalMath.Sine(3000, 16000, 3200, 10000);
        var output = new short[1600];
        for (var f = 0; f < 10; f++)
        {
            down.Process(pass.AsSpan(f * 320, 320), output.AsSpan(f * 160, 160));
        }

        Assert.InRange(SignalMath.ToneAmplitude(output.AsSpan(320), 3000, 8000), 9500, 10500);

        down.Reset();
        var alias = SignalMath.Sine(6000, 16000, 3200, 10000); // would fold to 2000 Hz
        for (var f = 0; f < 10; f++)
        {
            down.Process(alias.AsSpan(f * 320, 320), output.AsSpan(f * 160, 160));
        }

        Assert.True(SignalMath.Rms(output.AsSpan(320)) < 10000 / 300.0, "6 kHz must be attenuated by more than 50 dB");
    }

    [Fact]
    public void DirectCurrentPassesWithUnityGain()
    {
        var up = new HalfBandUpsampler();
        var down = new HalfBandDownsampler();
        var dc = Enumerable.Repeat((short)1000, 320).ToArray();
        var high = new short[640];
        var low = new short[320];
        up.Process(dc, high);
        down.Process(high, low);
        Assert.All(high.AsSpan(100).ToArray(), s => Assert.InRange(s, 999, 1001));
        Assert.All(low.AsSpan(100).ToArray(), s => Assert.InRange(s, 999, 1001));
    }

    [Fact]
    public void DownsamplerRejectsOddInput() =>
        Assert.Throws<ArgumentException>(() => new HalfBandDownsampler().Process(new short[3], new short[2]));
}
