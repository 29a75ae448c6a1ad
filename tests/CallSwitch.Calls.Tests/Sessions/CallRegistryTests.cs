using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Tests.Control;

namespace CallSwitch.Calls.Tests.Sessions;

/// <summary>The registry's look-ups by Call-ID over real calls (driven in-process by <see cref="LoopbackCalls"/>).</summary>
[Collection(LoopbackCalls.Collection)]
public sealed class CallRegistryTests : IAsyncDisposable
{
    private readonly LoopbackCalls _calls = new();

    public ValueTask DisposeAsync() => _calls.DisposeAsync();

    [Fact]
    public async Task AnEndedCallIsNoLongerFoundByEitherLegsCallIdWhileAnotherCallStillIs()
    {
        var ended = await _calls.DialAsync(LoopbackCalls.Plan(null));
        var live = await _calls.DialAsync(LoopbackCalls.Plan(null));
        await _calls.CalleeAnswersAsync(ended, 200);
        await _calls.CalleeAnswersAsync(live, 200);
        string endedCallee = ended.CalleeInvite.CallId!;
        string liveCallee = live.CalleeInvite.CallId!;
        Assert.Same(ended.Call, _calls.Registry.Find(endedCallee));

        _ = ended.Call.HangUpAsync(CallEnd.ShutDown);
        await LoopbackCalls.WaitAsync(() => _calls.Registry.Count == 1);

        Assert.Null(_calls.Registry.Find(ended.CallerCallId));
        Assert.Null(_calls.Registry.Find(endedCallee));
        Assert.Null(_calls.Registry.FindById(ended.Call.Id));
        Assert.Same(live.Call, _calls.Registry.Find(live.CallerCallId));
        Assert.Same(live.Call, _calls.Registry.Find(liveCallee));
    }
}
