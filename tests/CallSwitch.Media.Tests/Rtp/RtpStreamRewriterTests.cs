using CallSwitch.Media.Rtp;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Media.Tests.Rtp;

public class RtpStreamRewriterTests
{
    private const uint OurSsrc = 0x5EED5EED;
    private readonly FakeTimeProvider _time = new();
    private readonly byte[] _buffer = new byte[172];

    private (ushort Sequence, uint Timestamp, uint Ssrc, bool Marker) Send(RtpStreamRewriter rewriter, int source, uint ssrc, ushort sequence, uint timestamp, bool marker = false)
    {
        RtpPacket.WriteHeader(_buffer, 0, marker, sequence, timestamp, ssrc);
        Assert.True(RtpPacket.TryParse(_buffer, out RtpPacket packet));
        rewriter.Rewrite(packet, source, 8000);
        return (packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Marker);
    }

    [Fact]
    public void FirstPacketStartsAtTheInitialValuesWithMarker()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 1000, 50_000, _time);
        Assert.Equal(((ushort)1000, 50_000u, OurSsrc, true), Send(rewriter, 1, 0xAAAA, 7, 123));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(((ushort)1001, 50_160u, OurSsrc, false), Send(rewriter, 1, 0xAAAA, 8, 283));
    }

    [Fact]
    public void SwitchContinuesSequenceAndAdvancesTimestampByElapsedTime()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 1000, 50_000, _time);
        for (int i = 0; i < 10; i++)
        {
            Send(rewriter, 1, 0xAAAA, (ushort)(300 + i), (uint)(9000 + (i * 160)));
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // The announcement stops; the agent's audio starts 1.234 s after the last packet sent.
        _time.Advance(TimeSpan.FromMilliseconds(1234 - 20));
        var first = Send(rewriter, 2, 0xBBBB, 40_000, 3_000_000_000);
        Assert.Equal(((ushort)1010, 50_000u + (9 * 160) + 9872, OurSsrc, true), first);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var second = Send(rewriter, 2, 0xBBBB, 40_001, 3_000_000_160);
        Assert.Equal(((ushort)1011, first.Timestamp + 160, OurSsrc, false), second);
        Assert.Equal(2, rewriter.Switches);
    }

    [Fact]
    public void SsrcChangeFromTheSameSourceIsASwitch()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 10, 0, _time);
        Send(rewriter, 1, 0xAAAA, 500, 1000);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var afterReinvite = Send(rewriter, 1, 0xCCCC, 9, 77);
        Assert.Equal(((ushort)11, 160u, OurSsrc, true), afterReinvite);
    }

    [Fact]
    public void SequenceJumpBeyondDropoutIsTreatedAsRestart()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 10, 0, _time);
        Send(rewriter, 1, 0xAAAA, 500, 1000);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(((ushort)11, 160u, OurSsrc, true), Send(rewriter, 1, 0xAAAA, 20_000, 1160));
    }

    [Fact]
    public void LossAndReorderWithinASourceStayVisible()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 100, 0, _time);
        Send(rewriter, 1, 0xAAAA, 1, 0);
        Assert.Equal((ushort)102, Send(rewriter, 1, 0xAAAA, 3, 320).Sequence); // 2 lost
        Assert.Equal((ushort)101, Send(rewriter, 1, 0xAAAA, 2, 160).Sequence); // 2 late
        Assert.Equal((ushort)102, rewriter.HighestSequence);
        _time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal((ushort)103, Send(rewriter, 9, 0xBBBB, 1, 0).Sequence); // switch continues from the highest
    }

    [Fact]
    public void OmittedPacketsLeaveNoHoleInTheNumbering()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 100, 0, _time);
        Send(rewriter, 1, 0xAAAA, 1, 0);
        rewriter.Omit(2, 0xAAAA, 1);
        rewriter.Omit(3, 0xAAAA, 1);
        var after = Send(rewriter, 1, 0xAAAA, 4, 480);
        Assert.Equal((ushort)101, after.Sequence);
        Assert.Equal(480u, after.Timestamp); // the time moved on: a pause, not a loss
        Assert.False(after.Marker);

        // Out of order, another SSRC or another source: nothing changes.
        rewriter.Omit(3, 0xAAAA, 1);
        rewriter.Omit(5, 0xBBBB, 1);
        rewriter.Omit(5, 0xAAAA, 2);
        Assert.Equal((ushort)102, Send(rewriter, 1, 0xAAAA, 5, 640).Sequence);
    }

    [Fact]
    public void WrapsSequenceAndTimestamp()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 65534, 0xFFFF_FF00, _time);
        ushort inputSequence = 65533;
        uint inputTimestamp = 0xFFFF_FFA0;
        var expected = new List<(ushort, uint)>();
        var actual = new List<(ushort, uint)>();
        for (int i = 0; i < 6; i++)
        {
            var result = Send(rewriter, 1, 0xAAAA, inputSequence, inputTimestamp);
            actual.Add((result.Sequence, result.Timestamp));
            expected.Add(((ushort)(65534 + i), unchecked(0xFFFF_FF00 + (uint)(i * 160))));
            inputSequence++;
            inputTimestamp += 160;
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(expected, actual);

        // A switch right after the wrap continues from there.
        var switched = Send(rewriter, 2, 0xBBBB, 65535, 0xFFFF_FFFF);
        Assert.Equal(((ushort)4, unchecked(0xFFFF_FF00 + (5 * 160) + 160), OurSsrc, true), switched);
    }

    [Fact]
    public void ElapsedTimeIsRoundedToTheClockAndNeverZero()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 0, 1000, _time);
        Send(rewriter, 1, 1, 0, 0);
        _time.Advance(TimeSpan.FromTicks(1880)); // 0.188 ms = 1.504 units at 8 kHz → 2
        Assert.Equal(1002u, Send(rewriter, 2, 2, 0, 0).Timestamp);
        Assert.Equal(1003u, Send(rewriter, 3, 3, 0, 0).Timestamp); // no time elapsed: still advances by one
    }

    [Fact]
    public void KeepsTheSourceMarkerWithinAStream()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 0, 0, _time);
        Send(rewriter, 1, 1, 0, 0);
        Assert.False(Send(rewriter, 1, 1, 1, 160).Marker);
        Assert.True(Send(rewriter, 1, 1, 2, 8000, marker: true).Marker); // talkspurt start passes through
    }

    [Fact]
    public void DoesNotAllocate()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 0, 0, _time);
        RtpPacket.WriteHeader(_buffer, 0, false, 0, 0, 1);
        Send(rewriter, 1, 1, 0, 0);

        void RewriteMany(int first)
        {
            for (int i = first; i < first + 10_000; i++)
            {
                RtpPacket.TryParse(_buffer, out RtpPacket packet);
                packet.Ssrc = (uint)(i / 100);
                packet.SequenceNumber = (ushort)i;
                rewriter.Rewrite(packet, i / 1000, 8000);
            }
        }

        // Once before measuring: the runtime's own first-time work for this loop (its on-stack
        // replacement, tiering) may allocate on this thread, once; the rewriter must not.
        RewriteMany(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RewriteMany(10_000);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AcquireIsExclusiveAndNeverWaits()
    {
        var rewriter = new RtpStreamRewriter(OurSsrc, 0, 0, _time);
        Assert.True(rewriter.TryAcquire());
        Assert.False(rewriter.TryAcquire());
        rewriter.Release();
        Assert.True(rewriter.TryAcquire());
    }
}
