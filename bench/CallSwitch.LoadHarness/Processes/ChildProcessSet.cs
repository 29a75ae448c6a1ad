namespace CallSwitch.LoadHarness.Processes;

/// <summary>The processes a run started: each one is stopped when the run ends, whatever happens.</summary>
/// <remarks>Thread-safe: <see cref="StopAll"/> may come from a signal handler while the run adds one.</remarks>
internal sealed class ChildProcessSet
{
    private readonly List<ChildProcess> _children = [];
    private readonly Lock _lock = new();

    /// <summary>Remembers <paramref name="child"/> and hands it back.</summary>
    public ChildProcess Track(ChildProcess child)
    {
        lock (_lock)
        {
            _children.Add(child);
        }

        return child;
    }

    /// <summary>Stops every process still running, the last started first, and forgets them.</summary>
    public void StopAll()
    {
        lock (_lock)
        {
            for (int i = _children.Count - 1; i >= 0; i--)
            {
                _children[i].Dispose();
            }

            _children.Clear();
        }
    }
}
