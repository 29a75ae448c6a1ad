using System.Threading.Channels;
using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Access;

namespace CallSwitch.Server.WebConsole.Live;

/// <summary>
/// One browser on the live board: its principal, what it may do on each call it was shown (asked
/// once per call of the authorisation service, which is pure and fast), and the queue of its
/// events. A browser so slow that its queue fills loses what it had not read and is sent a fresh snapshot.
/// </summary>
public sealed class LiveBoardClient
{
    private const int QueueLength = 64;
    private readonly Principal _principal;
    private readonly IAuthorizer _authorizer;
    private readonly Func<string, string?> _teamOf;
    private readonly Dictionary<string, (bool Listen, bool Control)> _rights = new(StringComparer.Ordinal);
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueLength)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Creates a client for a signed-in user.</summary>
    public LiveBoardClient(Principal principal, IAuthorizer authorizer, Func<string, string?> teamOf)
    {
        _principal = principal;
        _authorizer = authorizer;
        _teamOf = teamOf;
    }

    /// <summary>The events to write to the browser, in order.</summary>
    public ChannelReader<string> Events => _queue.Reader;

    /// <summary>Whether the user may see (and listen to) a call, and control its recording.</summary>
    internal (bool Listen, bool Control) Rights(LiveCallSnapshot call)
    {
        if (!_rights.TryGetValue(call.Id, out (bool Listen, bool Control) rights))
        {
            var resource = new AccessResource { CampaignId = call.Campaign, Team = _teamOf(call.Agent), AgentExtension = call.Agent };
            rights = (_authorizer.Decide(_principal, AccessAction.SuperviseListen, resource).Allowed,
                _authorizer.Decide(_principal, AccessAction.RecordingControl, resource).Allowed);
            _rights[call.Id] = rights;
        }

        return rights;
    }

    internal bool Saw(string callId) => _rights.TryGetValue(callId, out (bool Listen, bool Control) rights) && rights.Listen;

    internal void Forget(IEnumerable<string> callIds)
    {
        foreach (string id in callIds)
        {
            _rights.Remove(id);
        }
    }

    /// <summary>Queues an event; false when the browser is that far behind (its queue is full).</summary>
    internal bool Send(string message) => _queue.Writer.TryWrite(message);

    /// <summary>Drops what the browser has not read yet and queues <paramref name="snapshot"/> instead: a fresh start.</summary>
    internal void Restart(string snapshot)
    {
        while (_queue.Reader.TryRead(out _))
        {
        }

        _queue.Writer.TryWrite(snapshot);
    }

    internal void Close() => _queue.Writer.TryComplete();
}
