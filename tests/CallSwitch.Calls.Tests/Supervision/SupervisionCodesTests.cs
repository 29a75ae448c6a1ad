using CallSwitch.Calls.Supervision;
using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Tests.Supervision;

public class SupervisionCodesTests
{
    [Theory]
    [InlineData("*711001", SupervisionMode.Listen, "1001")]
    [InlineData("*721001", SupervisionMode.Whisper, "1001")]
    [InlineData("*7312", SupervisionMode.Barge, "12")]
    public void ACodeThenAnExtensionIsRead(string dialled, SupervisionMode mode, string agent)
    {
        var codes = new SupervisionCodes(new SupervisionConfig());
        Assert.True(codes.TryParse(dialled, out SupervisionMode readMode, out string readAgent));
        Assert.Equal((mode, agent), (readMode, readAgent));
    }

    [Theory]
    [InlineData("*71")]
    [InlineData("0612345678")]
    [InlineData("*741001")]
    [InlineData("")]
    public void AnythingElseIsNotSupervision(string dialled) =>
        Assert.False(new SupervisionCodes(new SupervisionConfig()).TryParse(dialled, out _, out _));

    [Fact]
    public void ConfiguredCodesAndKeysApply()
    {
        var codes = new SupervisionCodes(new SupervisionConfig { ListenCode = "#5", WhisperCode = "#6", BargeCode = "*9", WhisperKey = '#' });
        Assert.True(codes.TryParse("#61001", out SupervisionMode mode, out string agent));
        Assert.Equal((SupervisionMode.Whisper, "1001"), (mode, agent));
        Assert.False(codes.TryParse("*711001", out _, out _));
        Assert.Equal(SupervisionMode.Whisper, codes.ModeForKey('#'));
        Assert.Equal(SupervisionMode.Listen, codes.ModeForKey('1'));
        Assert.Equal(SupervisionMode.Barge, codes.ModeForKey('3'));
        Assert.Null(codes.ModeForKey('2'));
    }
}
