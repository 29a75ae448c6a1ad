using CallSwitch.Configuration;
using CallSwitch.Server.Logging;

namespace CallSwitch.Server.Tests.Logging;

public class NumberMaskingEnricherTests
{
    [Theory]
    [InlineData("INVITE sip:+33612345678@127.0.0.1:5060", "INVITE sip:+*********78@127.0.0.1:5060")]
    [InlineData("sip:0612345678@10.0.0.10", "sip:********78@10.0.0.10")]
    [InlineData("tel:+33612345678", "tel:+*********78")]
    [InlineData("+33612345678", "+*********78")]
    public void NumbersAreMasked(string text, string masked) => Assert.Equal(masked, NumberMaskingEnricher.Mask(text));

    [Theory]
    [InlineData("127.0.0.1:5060")]
    [InlineData("10.0.0.10:40000")]
    [InlineData("0195a1b2-1234-7abc-8def-123456789012")]
    [InlineData("sha256 0123456789abcdef")]
    [InlineData("call-1234567")]
    [InlineData("ext 1001")]
    [InlineData("2026-12-07T04:00:00.1234567Z")]
    public void AddressesIdsAndTimesAreLeftAlone(string text) => Assert.Equal(text, NumberMaskingEnricher.Mask(text));

    [Fact]
    public void EveryPropertyOfAnEventIsMaskedUnlessUnmasked()
    {
        var masked = new StringWriter();
        SwitchLog.Create(new LoggingConfig(), masked).Information("Call to {Callee} (prospect {Prospect}, numbers {Numbers})", "sip:+33612345678@host", "+33612345678", new[] { "+33698765432" });
        var clear = new StringWriter();
        SwitchLog.Create(new LoggingConfig { UnmaskNumbers = true }, clear).Information("Call to {Callee}", "sip:+33612345678@host");

        Assert.Contains("Call to sip:+*********78@host (prospect +*********78, numbers [\"+*********32\"])", masked.ToString(), StringComparison.Ordinal);
        Assert.Contains("Call to sip:+33612345678@host", clear.ToString(), StringComparison.Ordinal);
    }
}
