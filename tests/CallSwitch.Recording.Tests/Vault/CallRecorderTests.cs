using CallSwitch.Recording.Vault;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Recording.Tests.Vault;

public class CallRecorderTests
{
    [Fact]
    public void ANarrowbandCallIsRecordedAtEightKilohertz()
    {
        var pcmu = new Dictionary<int, AudioCodecInfo> { [0] = AudioCodecInfo.Pcmu };
        var pcma = new Dictionary<int, AudioCodecInfo> { [8] = AudioCodecInfo.Pcma, [0] = AudioCodecInfo.Pcmu };
        Assert.Equal(8000, CallRecorder.SampleRateFor(pcmu, pcma));
    }

    [Fact]
    public void OneWidebandCodecOnEitherSideKeepsSixteenKilohertz()
    {
        var pcmu = new Dictionary<int, AudioCodecInfo> { [0] = AudioCodecInfo.Pcmu };
        var g722 = new Dictionary<int, AudioCodecInfo> { [9] = AudioCodecInfo.G722 };
        Assert.Equal(16000, CallRecorder.SampleRateFor(pcmu, g722));
        Assert.Equal(16000, CallRecorder.SampleRateFor(g722, pcmu));
    }
}
