using CallSwitch.Compliance.Numbers;

namespace CallSwitch.Compliance.Tests.Numbers;

public class PhoneNumberNormalizerTests
{
    private readonly PhoneNumberNormalizer _fr = new("FR");

    [Theory]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("0612345678")]
    [InlineData("06 12 34 56 78")]
    [InlineData("06.12.34.56.78")]
    [InlineData("0033612345678")]
    [InlineData("tel:+33612345678")]
    [InlineData("tel:+33-6-12-34-56-78;phone-context=example.com")]
    [InlineData("  +33 (0)6 12 34 56 78 ")]
    public void FrenchMobileInEveryFormIsTheSameE164(string text)
    {
        Assert.True(_fr.TryNormalize(text, out string? e164, out string? reason), reason);
        Assert.Equal("+33612345678", e164);
    }

    [Theory]
    [InlineData("GB", "020 7946 0000", "+442079460000")]
    [InlineData("GB", "+33 1 23 45 67 89", "+33123456789")]
    [InlineData("US", "(201) 555-0123", "+12015550123")]
    [InlineData("DE", "030 123456", "+4930123456")]
    public void NationalNumbersAreReadInTheDefaultRegion(string region, string text, string expected)
    {
        Assert.Equal(expected, new PhoneNumberNormalizer(region).Normalize(text));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("06 12", "too short")]
    [InlineData("+33 6 12 34 56 78 90 12", "too long")]
    [InlineData("+999 123456789", "country code")]
    [InlineData("0800-FLOWERS", "only digits")]
    [InlineData("tel:", "empty")]
    [InlineData("+33 0 00 00 00 00", "not a valid number for FR")]
    public void InvalidNumbersAreRefusedWithAReason(string text, string reason)
    {
        Assert.False(_fr.TryNormalize(text, out string? e164, out string? why));
        Assert.Null(e164);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizeThrowsWithTheReason()
    {
        var e = Assert.Throws<FormatException>(() => _fr.Normalize("06 12"));
        Assert.Contains("too short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRegionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new PhoneNumberNormalizer("XX"));
        Assert.True(PhoneNumberNormalizer.IsSupportedRegion("fr"));
        Assert.False(PhoneNumberNormalizer.IsSupportedRegion("FRA"));
        Assert.Equal("FR", new PhoneNumberNormalizer("fr").DefaultRegion);
    }
}
