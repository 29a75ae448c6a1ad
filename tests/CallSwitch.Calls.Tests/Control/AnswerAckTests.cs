using CallSwitch.Sip.Messages;

namespace CallSwitch.Calls.Tests.Control;

/// <summary>
/// The callee's answers are ACKed when they arrive, even while the call is busy with other work
/// under its signalling lock (RFC 3261 §13.2.2.4; on a loaded machine the lock and a thread-pool
/// continuation took over 500 ms, and the carrier got the agent's BYE before its ACK).
/// </summary>
[Collection(LoopbackCalls.Collection)]
public sealed class AnswerAckTests : IAsyncDisposable
{
    private readonly LoopbackCalls _calls = new();

    [Fact]
    public async Task TheAnswerAndTheAnswerToAHoldAreAckedOnArrivalWhileTheCallIsBusy()
    {
        var call = await _calls.DialAsync(LoopbackCalls.Plan(null));

        var busy = new TaskCompletionSource();
        Task held = await HoldTheCallAsync(call, busy.Task);
        _calls.CalleeAnswers(call, call.CalleeInvite, 200);

        SipRequest ack = Assert.Single(_calls.CalleeAcks(call));
        Assert.Equal(1u, ack.CSeq!.Value.Number);
        Assert.False(held.IsCompleted, "the call's lock was not held while the answer came");
        busy.SetResult();
        await held;

        // The agent puts the prospect on hold: the call re-INVITEs the callee (sendonly).
        await _calls.AgentAnsweredAsync(call);
        await _calls.AgentHoldsAsync(call);
        SipRequest reinvite = _calls.CalleeInvites(call)[^1];
        Assert.Equal(2u, reinvite.CSeq!.Value.Number);

        busy = new TaskCompletionSource();
        held = await HoldTheCallAsync(call, busy.Task);
        _calls.CalleeAnswers(call, reinvite, 200, "recvonly");

        Assert.Equal([1u, 2u], _calls.CalleeAcks(call).Select(a => a.CSeq!.Value.Number));
        Assert.False(held.IsCompleted, "the call's lock was not held while the answer came");
        busy.SetResult();
        await held;
    }

    /// <summary>Keeps the call's signalling lock until <paramref name="until"/> completes; returns once it holds it.</summary>
    private static async Task<Task> HoldTheCallAsync(LoopbackCalls.LoopbackCall call, Task until)
    {
        var holding = new TaskCompletionSource();
        Task held = call.Call.RunSignallingAsync(() =>
        {
            holding.SetResult();
            return until;
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(5));
        return held;
    }

    public async ValueTask DisposeAsync() => await _calls.DisposeAsync();
}
