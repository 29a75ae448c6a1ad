using CallSwitch.Media.Dtmf;

namespace CallSwitch.Media.Tests.Dtmf;

public sealed class TelephoneEventTests
{
    [Fact]
    public void ParsesTheRfcLayout()
    {
        // Event 9, E bit, reserved bit set (must be ignored), volume 10, duration 800.
        Assert.True(TelephoneEvent.TryParse([0x09, 0xCA, 0x03, 0x20], out var e));
        Assert.Equal(new TelephoneEvent(9, true, 10, 800), e);
        Assert.Equal('9', e.Digit);
        Assert.True(e.IsDtmf);
    }

    [Theory]
    [InlineData(0, '0')]
    [InlineData(9, '9')]
    [InlineData(10, '*')]
    [InlineData(11, '#')]
    [InlineData(12, 'A')]
    [InlineData(15, 'D')]
    public void MapsEventCodesToKeys(byte code, char digit)
    {
        Assert.True(DtmfDigits.TryGetDigit(code, out var d));
        Assert.Equal(digit, d);
        Assert.True(DtmfDigits.TryGetEventCode(char.ToLowerInvariant(digit), out var c));
        Assert.Equal(code, c);
    }

    [Fact]
    public void NonDtmfEventsAreNotKeys()
    {
        Assert.False(DtmfDigits.TryGetDigit(16, out _)); // flash / fax tones start here
        Assert.False(DtmfDigits.TryGetEventCode('E', out _));
        Assert.True(TelephoneEvent.TryParse([32, 0x0A, 0, 160], out var fax));
        Assert.False(fax.IsDtmf);
        Assert.Equal('\0', fax.Digit);
    }

    [Fact]
    public void WritesWhatItParses()
    {
        var e = new TelephoneEvent(11, false, 63, 65535);
        Span<byte> buffer = stackalloc byte[6];
        Assert.Equal(4, e.WriteTo(buffer));
        Assert.Equal(new byte[] { 11, 0x3F, 0xFF, 0xFF }, buffer[..4].ToArray());
        Assert.True(TelephoneEvent.TryParse(buffer, out var back));
        Assert.Equal(e, back);
    }

    [Fact]
    public void RefusesShortPayloadsAndBadVolumes()
    {
        Assert.False(TelephoneEvent.TryParse([1, 2, 3], out _));
        Assert.Throws<ArgumentException>(() => new TelephoneEvent(1, false, 10, 0).WriteTo(new byte[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelephoneEvent(1, false, 64, 0).WriteTo(new byte[4]));
    }
}
