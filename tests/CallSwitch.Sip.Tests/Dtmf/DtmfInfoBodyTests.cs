using System.Text;
using CallSwitch.Sip.Dtmf;

namespace CallSwitch.Sip.Tests.Dtmf;

public class DtmfInfoBodyTests
{
    [Theory]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5')]
    [InlineData("application/dtmf-relay", "Signal= *\r\nDuration= 250\r\n", '*')]
    [InlineData("application/dtmf-relay", "Duration=100\nsignal=#\n", '#')]
    [InlineData("application/dtmf-relay", "Signal=10\r\nDuration=160\r\n", '*')]
    [InlineData("application/dtmf-relay", "Signal=11\r\nDuration=160\r\n", '#')]
    [InlineData("application/dtmf-relay", "Signal=d\r\n", 'D')]
    [InlineData("application/dtmf", "9", '9')]
    [InlineData("application/dtmf", "11\r\n", '#')]
    public void ReadsTheKeyOfEachForm(string type, string body, char key)
    {
        Assert.True(DtmfInfoBody.TryParse(type, Encoding.ASCII.GetBytes(body), out char read));
        Assert.Equal(key, read);
    }

    [Theory]
    [InlineData("application/dtmf-relay", "Duration=160\r\n")]
    [InlineData("application/dtmf-relay", "Signal=\r\n")]
    [InlineData("application/dtmf-relay", "Signal=16\r\n")]
    [InlineData("application/dtmf-relay", "Signal=55\r\n")]
    [InlineData("application/dtmf-relay", "Signal=E\r\n")]
    [InlineData("application/dtmf", "")]
    [InlineData("application/dtmf", "12345")]
    [InlineData("application/sdp", "Signal=5\r\n")]
    [InlineData(null, "5")]
    public void RefusesWhatIsNotOneKey(string? type, string body) =>
        Assert.False(DtmfInfoBody.TryParse(type, Encoding.ASCII.GetBytes(body), out _));

    [Fact]
    public void RefusesBinaryAndOversizedBodies()
    {
        Assert.False(DtmfInfoBody.TryParse("application/dtmf-relay", [.. "Signal=5\r\n"u8, 0x00], out _));
        Assert.False(DtmfInfoBody.TryParse("application/dtmf-relay", [.. "Signal=5\r\n"u8, 0xC3, 0xA9], out _));
        byte[] big = Encoding.ASCII.GetBytes("Signal=5\r\n" + new string('x', DtmfInfoBody.MaxBodyBytes));
        Assert.False(DtmfInfoBody.TryParse("application/dtmf-relay", big, out _));
    }
}
