using CallSwitch.Calls.Recording;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// Every recording the isolated switch starts and finishes, by call: what the recording service
/// raised (file, key, spans, refusal), for the checks to compare with the rule.
/// </summary>
/// <remarks>The service raises its events on call and background threads; a lock guards the lists.</remarks>
internal sealed class RecordingLog
{
    private readonly List<RecordingStarted> _started = [];
    private readonly List<RecordingResult> _finished = [];

    public RecordingLog(RecordingService? service)
    {
        if (service is null)
        {
            return;
        }

        service.Started += s =>
        {
            lock (_started)
            {
                _started.Add(s);
            }
        };
        service.Finished += r =>
        {
            lock (_finished)
            {
                _finished.Add(r);
            }
        };
    }

    /// <summary>The recordings started on <paramref name="callId"/> so far.</summary>
    public IReadOnlyList<RecordingStarted> StartedOn(string callId)
    {
        lock (_started)
        {
            return [.. _started.Where(s => s.CallId == callId)];
        }
    }

    /// <summary>The results raised for <paramref name="callId"/> so far, in order.</summary>
    public IReadOnlyList<RecordingResult> FinishedOn(string callId)
    {
        lock (_finished)
        {
            return [.. _finished.Where(r => r.CallId == callId)];
        }
    }
}
