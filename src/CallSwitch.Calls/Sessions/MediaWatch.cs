using CallSwitch.Calls.Media;
using CallSwitch.Media.Relay;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// Watches a call's media for its signalling: logs key presses (never the prospect's value), plays
/// the notice before connecting the parties and, once the call is answered, ends it when neither
/// party has sent RTP for <see cref="CallContext.RtpTimeout"/>, unless a leg is on hold (a held
/// party may well be silent).
/// </summary>
/// <remarks>The timer runs on a timer thread; <see cref="Dispose"/> may be called from any thread.</remarks>
internal sealed class MediaWatch : IDisposable
{
    private readonly CallContext _context;
    private readonly CallMedia _media;
    private readonly CallLegs _legs;
    private readonly ILogger _log;
    private readonly Action _timedOut;
    private ITimer? _timer;
    private volatile bool _stopped;

    /// <summary>Watches <paramref name="media"/>; <paramref name="timedOut"/> when no RTP came for too long (the call must end).</summary>
    public MediaWatch(CallContext context, CallMedia media, CallLegs legs, ILogger log, Action timedOut)
    {
        _context = context;
        _media = media;
        _legs = legs;
        _log = log;
        _timedOut = timedOut;
        media.DigitReceived += LogDigit;
    }

    /// <summary>Starts watching for silence (from the answer on); does nothing when the timeout is zero.</summary>
    public void StartRtpTimeout()
    {
        TimeSpan limit = _context.RtpTimeout;
        if (limit <= TimeSpan.Zero)
        {
            return;
        }

        TimeSpan period = TimeSpan.FromSeconds(Math.Clamp(limit.TotalSeconds / 4, 0.5, 5));
        _timer = _context.Time.CreateTimer(_ => Check(limit), null, period, period);
    }

    /// <summary>
    /// Plays the plan's notice to the prospect (and the agent when the plan says so), then connects
    /// the parties; <paramref name="ended"/> says whether it played in full (true at once without a
    /// notice). A notice cut short (the call ended) leaves the parties apart.
    /// </summary>
    public async Task PlayNoticeThenConnectAsync(CallPlan plan, Action<bool> ended)
    {
        bool inFull = await _media.PlayAnnouncementThenConnectAsync(plan.Announcement, plan.AgentHearsAnnouncement).ConfigureAwait(false);
        ended(inFull);
        if (plan.Announcement is not null)
        {
            _log.Information("Notice {Outcome}; parties connected: {Connected}", inFull ? "played in full" : "cut short", inFull);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _timer?.Dispose();
    }

    private void Check(TimeSpan limit)
    {
        if (_stopped || _legs.AnyOnHold)
        {
            return;
        }

        RelaySession session = _media.Session;
        TimeSpan silence = session.LegA.SilenceDuration < session.LegB.SilenceDuration ? session.LegA.SilenceDuration : session.LegB.SilenceDuration;
        if (silence >= limit)
        {
            _log.Warning("No RTP from either party for {Seconds} s: ending the call", (int)silence.TotalSeconds);
            _timedOut();
        }
    }

    private void LogDigit(CallParty party, char digit)
    {
        // The prospect's keys may be a card number or health data (what pauses are for): never their value.
        if (party == CallParty.Agent)
        {
            _log.Information("DTMF {Digit} from the agent", digit);
        }
        else
        {
            _log.Information("DTMF key from the prospect");
        }
    }
}
