using CallSwitch.Calls.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Calls.Tests.Sessions;

public class SuccessRetransmitterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<TimeSpan> _sent = [];
    private readonly DateTimeOffset _start;
    private int _gaveUp;

    public SuccessRetransmitterTests() => _start = _time.GetUtcNow();

    [Fact]
    public void DoublesFromT1UpToT2ThenGivesUpAfter64T1()
    {
        using var retransmitter = Start();

        Advance(TimeSpan.FromSeconds(40));

        // RFC 3261 §13.3.1.4: 0.5, 1.5, 3.5, 7.5, then every 4 s (T2) until 32 s (64·T1).
        double[] expected = [0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5];
        Assert.Equal(expected, _sent.Select(t => t.TotalSeconds));
        Assert.Equal(1, _gaveUp);
    }

    [Fact]
    public void StopsAtTheAck()
    {
        using var retransmitter = Start();
        Advance(TimeSpan.FromSeconds(2));

        retransmitter.Stop();
        Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(2, _sent.Count);
        Assert.Equal(0, _gaveUp);
    }

    private SuccessRetransmitter Start() => new(
        _time,
        TimeSpan.FromMilliseconds(500),
        TimeSpan.FromSeconds(4),
        () =>
        {
            _sent.Add(_time.GetUtcNow() - _start);
            return Task.CompletedTask;
        },
        () => _gaveUp++);

    private void Advance(TimeSpan total)
    {
        // Small steps, so that a timer re-armed inside its callback fires on time.
        for (var step = TimeSpan.Zero; step < total; step += TimeSpan.FromMilliseconds(50))
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }
    }
}
