using CallSwitch.Media.Dtmf;

namespace CallSwitch.Media.Tests.Dtmf;

public sealed class DtmfEventGeneratorTests
{
    [Fact]
    public void HundredMillisecondPressFollowsRfc4733()
    {
        var packets = DtmfEventGenerator.CreatePayloads('#', TimeSpan.FromMilliseconds(100), volume: 7);
        var events = packets.Select(p =>
        {
            Assert.True(TelephoneEvent.TryParse(p.Payload, out var e));
            return e;
        }).ToList();

        Assert.Equal(7, packets.Count); // 4 updates + 3 end reports
        Assert.True(packets[0].Marker);
        Assert.All(packets.Skip(1), p => Assert.False(p.Marker));
        Assert.Equal(new ushort[] { 160, 320, 480, 640, 800, 800, 800 }, events.Select(e => e.Duration));
        Assert.Equal(new[] { false, false, false, false, true, true, true }, events.Select(e => e.IsEnd));
        Assert.All(events, e => Assert.Equal((11, 7), (e.EventCode, e.Volume)));
    }

    [Fact]
    public void ShortPressIsOnlyEndReports()
    {
        var generator = new DtmfEventGenerator('5', TimeSpan.FromMilliseconds(20));
        Assert.Equal(3, generator.PacketCount);
        Span<byte> payload = stackalloc byte[4];
        Assert.True(generator.TryWriteNext(payload, out var marker));
        Assert.True(marker);
        Assert.True(generator.TryWriteNext(payload, out _));
        Assert.True(generator.TryWriteNext(payload, out _));
        Assert.False(generator.TryWriteNext(payload, out _));
        Assert.True(generator.IsComplete);
        generator.Restart();
        Assert.False(generator.IsComplete);
    }

    [Fact]
    public void RefusesBadArguments()
    {
        Assert.Throws<ArgumentException>(() => new DtmfEventGenerator('x', TimeSpan.FromMilliseconds(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfEventGenerator('1', TimeSpan.FromSeconds(9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfEventGenerator('1', TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfEventGenerator('1', TimeSpan.FromMilliseconds(100), volume: 64));
    }
}
