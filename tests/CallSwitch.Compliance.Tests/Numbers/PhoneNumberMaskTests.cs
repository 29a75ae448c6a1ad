using CallSwitch.Compliance.Numbers;

namespace CallSwitch.Compliance.Tests.Numbers;

public class PhoneNumberMaskTests
{
    [Theory]
    [InlineData("+33612345678", "+*********78")]
    [InlineData("0612345678", "********78")]
    [InlineData("061234", "****34")]
    [InlineData("06123", "*****")]
    [InlineData("+3312", "+****")]
    [InlineData("hello world", "*********ld")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void KeepsALeadingPlusAndTheLastTwoCharactersOfSixOrMore(string? text, string masked) =>
        Assert.Equal(masked, PhoneNumberMask.Mask(text));
}
