using CallSwitch.Calls.Sessions;

namespace CallSwitch.Calls.Tests.Sessions;

public class CallIdTests
{
    [Fact]
    public void ACallIdIsTwelveHexDigitsAndNeverDigitsOnlySoTheLogsNumberMaskLeavesItAlone()
    {
        // Of 20,000 plain 6-byte hex ids about 70 would be digits only.
        string[] ids = Enumerable.Range(0, 20_000).Select(_ => B2buaCall.NewId()).ToArray();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}$", id));
        Assert.All(ids, id => Assert.Contains(id, c => c is >= 'a' and <= 'f'));
        Assert.True(ids.Distinct().Count() > 19_990, "ids repeat");
    }
}
