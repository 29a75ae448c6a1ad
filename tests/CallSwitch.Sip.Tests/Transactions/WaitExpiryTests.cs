using CallSwitch.Sip.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Transactions;

/// <summary>The terminal waits (Timers D, I, J, K, L, M) ended by one timer per wait length, not one per transaction.</summary>
public class WaitExpiryTests
{
    [Fact]
    public async Task EachTransactionEndsWhenItsOwnWaitRunsOutInWhateverOrderTheWaitsBegan()
    {
        CountingTime? clock = null;
        var h = new TransactionHarness(fake => clock = new CountingTime(fake));
        var started = new List<(ClientTransaction Tx, TimeSpan At)>();
        int madeByFinals = 0;

        // Non-INVITE transactions over UDP wait Timer K (T4 = 5 s) after their final response;
        // INVITEs refused wait Timer D (32 s): two lengths, begun at staggered times.
        for (int i = 0; i < 6; i++)
        {
            var request = TransactionHarness.OutgoingRequest(i % 2 == 0 ? "OPTIONS" : "INVITE", cseq: (uint)(i + 1));
            ClientTransaction tx = h.StartClient(request, TransactionHarness.Udp);
            int before = clock!.Created;
            h.Receive(TransactionHarness.ResponseTo(request, i % 2 == 0 ? 200 : 486), TransactionHarness.Udp);
            madeByFinals += clock.Created - before;
            await tx.FinalResponse;
            started.Add((tx, h.Time.GetUtcNow() - h.Time.Start));
            h.AdvanceMs(700);
        }

        // Six waits began, of two lengths: one timer per length, none per transaction.
        Assert.Equal(2, madeByFinals);
        Assert.Equal(6, h.Layer.Waits.Count);
        for (int ms = 0; ms <= 40_000; ms += 50)
        {
            TimeSpan now = h.Time.GetUtcNow() - h.Time.Start;
            foreach (var (tx, at) in started)
            {
                TimeSpan wait = tx.Method == "OPTIONS" ? TransactionHarness.Timers.T4 : TransactionHarness.Timers.TimerDUnreliable;
                bool due = now >= at + wait;
                Assert.True(due == (tx.State == TransactionState.Terminated), $"{tx.Method} begun at {at}, wait {wait}: {tx.State} at {now}");
            }

            h.AdvanceMs(50);
        }

        Assert.Equal(0, h.Layer.Waits.Count);
        Assert.Equal(0, h.Layer.Count);

        Assert.All(started, s => Assert.Equal(TransactionTerminationReason.Normal, s.Tx.TerminationReason));
    }

    [Fact]
    public async Task ATransactionThatEndedDuringItsWaitIsNotEndedAgainWhenTheWaitRunsOut()
    {
        var h = new TransactionHarness();
        var request = TransactionHarness.OutgoingRequest("OPTIONS");
        ClientTransaction tx = h.StartClient(request, TransactionHarness.Udp);
        int ended = 0;
        tx.Terminated += _ => ended++;
        h.Receive(TransactionHarness.ResponseTo(request, 200), TransactionHarness.Udp);
        await tx.FinalResponse;
        Assert.Equal(TransactionState.Completed, tx.State);

        tx.EndWait();
        Assert.Equal(1, ended);
        h.Advance(TransactionHarness.Timers.T4 + TimeSpan.FromSeconds(1));

        Assert.Equal(1, ended);
        Assert.Equal(0, h.Layer.Waits.Count);
    }

    [Fact]
    public async Task WithSlackWaitsEndingCloseTogetherEndInOnePassNeverEarly()
    {
        var h = new TransactionHarness(settings: TransactionHarness.Timers with { WaitSlack = TimeSpan.FromMilliseconds(20) });
        var waiting = new List<ClientTransaction>();
        for (int i = 0; i < 4; i++)
        {
            var request = TransactionHarness.OutgoingRequest("OPTIONS", cseq: (uint)(i + 1));
            ClientTransaction tx = h.StartClient(request, TransactionHarness.Udp);
            h.Receive(TransactionHarness.ResponseTo(request, 200), TransactionHarness.Udp);
            await tx.FinalResponse;
            waiting.Add(tx);
            h.AdvanceMs(5);
        }

        // Waits of 5 s begun at 0, 5, 10 and 15 ms: the first is due at 5.000 s, its timer set for
        // 5.020 s, by when all four are due.
        h.Advance(TimeSpan.FromMilliseconds(5_019) - (h.Time.GetUtcNow() - h.Time.Start));
        Assert.All(waiting, tx => Assert.Equal(TransactionState.Completed, tx.State));
        h.AdvanceMs(1);
        Assert.All(waiting, tx => Assert.Equal(TransactionState.Terminated, tx.State));
        Assert.Equal(0, h.Layer.Waits.Count);
    }

    /// <summary>The fake clock, counting the timers made on it.</summary>
    private sealed class CountingTime(FakeTimeProvider inner) : TimeProvider
    {
        public int Created { get; private set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Created++;
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
