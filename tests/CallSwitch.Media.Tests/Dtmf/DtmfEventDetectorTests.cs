using CallSwitch.Media.Dtmf;

namespace CallSwitch.Media.Tests.Dtmf;

public sealed class DtmfEventDetectorTests
{
    private readonly DtmfEventDetector _detector = new();

    [Fact]
    public void ReportsEachKeyOnceDespiteUpdatesAndTripleEnd()
    {
        var keys = Feed(Press('1', 1000), Press('2', 3000), Press('1', 5000));
        Assert.Equal("121", keys);
    }

    [Fact]
    public void ReportsAKeyWhoseStartPacketsWereLost()
    {
        var press = Press('9', 1000);
        Assert.Equal("9", Feed(press.Skip(3).ToList())); // only end reports arrive
        Assert.Equal("4", Feed(Press('4', 2000).Skip(1).ToList()));
    }

    [Fact]
    public void IgnoresLateRepeatsOfAnEarlierEvent()
    {
        var first = Press('3', 1000);
        var second = Press('3', 2000);
        Assert.Equal("3", Feed(first));
        Assert.Equal("3", Feed(second.Take(2).ToList()));
        Assert.Equal(string.Empty, Feed(first.Skip(4).ToList())); // reordered end of the first press
        Assert.Equal(string.Empty, Feed(second.Skip(2).ToList()));
    }

    [Fact]
    public void HandlesTimestampWraparound()
    {
        var keys = Feed(Press('7', uint.MaxValue - 100), Press('8', 500), Press('8', 2000));
        Assert.Equal("788", keys);
        Assert.Equal(string.Empty, Feed(Press('7', uint.MaxValue - 100).Skip(5).ToList()));
    }

    [Fact]
    public void ResynchronisesOnALargeBackwardJump()
    {
        Assert.Equal("1", Feed(Press('1', 4_000_000_000)));
        Assert.Equal("2", Feed(Press('2', 1_000_000)));
    }

    [Fact]
    public void DoesNotReportTheNextSegmentOfALongPress()
    {
        // RFC 4733 §2.5.2.3: past 65535 units the sender starts a new segment at ts + duration.
        var segment1 = new[] { Packet(1000, 5, false, 65535) };
        var segment2 = new[] { Packet(1000 + 65535, 5, false, 160), Packet(1000 + 65535, 5, true, 800) };
        Assert.Equal("5", Feed(segment1, segment2));
    }

    [Fact]
    public void IgnoresNonDtmfEventsAndShortPayloads()
    {
        Assert.False(_detector.TryDetect(100, [36, 0x0A, 0, 160], out _)); // fax CNG
        Assert.False(_detector.TryDetect(100, [1, 2], out _));
    }

    [Fact]
    public void ResetAllowsTheSameTimestampAgain()
    {
        var press = Press('6', 1000);
        Assert.Equal("6", Feed(press));
        _detector.Reset();
        Assert.Equal("6", Feed(press));
    }

    [Fact]
    public void DetectionAllocatesNothing()
    {
        var packets = Press('0', 1000);
        Feed(packets);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (uint i = 0; i < 1000; i++)
        {
            foreach (var (timestamp, payload) in packets)
            {
                _detector.TryDetect(timestamp + (i * 2000), payload, out _);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static List<(uint Timestamp, byte[] Payload)> Press(char key, uint timestamp) =>
        [.. DtmfEventGenerator.CreatePayloads(key, TimeSpan.FromMilliseconds(100)).Select(p => (timestamp, p.Payload))];

    private static (uint, byte[]) Packet(uint timestamp, byte code, bool end, ushort duration)
    {
        var payload = new byte[4];
        new TelephoneEvent(code, end, 10, duration).WriteTo(payload);
        return (timestamp, payload);
    }

    private string Feed(params IEnumerable<(uint Timestamp, byte[] Payload)>[] streams)
    {
        var keys = string.Empty;
        foreach (var (timestamp, payload) in streams.SelectMany(s => s))
        {
            if (_detector.TryDetect(timestamp, payload, out var digit))
            {
                Assert.Equal(timestamp, digit.RtpTimestamp);
                keys += digit.Digit;
            }
        }

        return keys;
    }
}
