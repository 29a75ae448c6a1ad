namespace CallSwitch.Calls.Sessions;

/// <summary>
/// The signalling lock of one call: every change to the call runs through <see cref="RunAsync"/>,
/// one at a time, so the call is a sequential machine fed by transport and timer threads.
/// </summary>
/// <remarks>
/// Work that waits for a peer (the callee ringing, the answer to a re-INVITE) gives the lock up
/// while it waits (<see cref="ReleasedWhileAsync"/>) so that provisionals, a CANCEL or a BYE get in.
/// </remarks>
internal sealed class CallSignalling
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Func<bool> _ended;
    private readonly Func<Exception, Task> _failed;

    /// <param name="ended">Whether the call has ended: work queued behind the end is dropped.</param>
    /// <param name="failed">Called under the lock when work throws: the call must end (a bug costs one call, never a thread).</param>
    public CallSignalling(Func<bool> ended, Func<Exception, Task> failed)
    {
        _ended = ended;
        _failed = failed;
    }

    /// <summary>Runs <paramref name="work"/> under the lock unless the call has ended by then.</summary>
    public async Task RunAsync(Func<Task> work)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_ended())
            {
                await work().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await _failed(e).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Called under the lock: releases it while <paramref name="wait"/> runs, and takes it back before returning.</summary>
    public async Task ReleasedWhileAsync(Func<Task> wait)
    {
        _lock.Release();
        try
        {
            await wait().ConfigureAwait(false);
        }
        finally
        {
            await _lock.WaitAsync().ConfigureAwait(false);
        }
    }
}
