using CallSwitch.Compliance.Rules;
using CallSwitch.Calls.Media;
using CallSwitch.Media.Dtmf;

namespace CallSwitch.Calls.Recording;

/// <summary>
/// The key presses of one call that control its recording: the agent's sequences (pause,
/// resume, start, opposition) and the prospect's opposition key during the notice. Decides, as
/// each key press starts, whether it reaches the other party.
/// </summary>
/// <remarks>
/// <para>
/// Agent: a key that extends what was typed into a prefix of one of the rule's sequences is
/// withheld from the prospect, and a completed sequence is consumed (withheld too) and
/// executed. When the next key makes the typed keys diverge from every sequence, the keys
/// withheld so far are dropped, not replayed — as FreeSWITCH's meta key does — and the new
/// key is judged on its own: relayed, unless it starts a sequence itself. So with the
/// sequences <c>*1 *2 *3 *9</c>, "*5" reaches the prospect as "5", and "5" or "#" alone pass
/// untouched. Keys more than <see cref="InterDigitTimeout"/> apart never combine. The
/// sequences are withheld in every state, so an agent's keys behave the same on every call of
/// the campaign (the command itself may then do nothing, e.g. start in always mode).
/// </para>
/// <para>
/// Prospect: keys are never withheld (they reach the agent once connected); the opposition key,
/// when the rule offers one, counts only while the notice is playing to the prospect.
/// </para>
/// <para>
/// Threads: <see cref="OnDigit"/> runs on the relay thread of the key's leg (one per leg, so
/// the agent's matcher has one caller); it allocates nothing and hands each command to
/// <c>execute</c>, which must return at once.
/// </para>
/// </remarks>
internal sealed class RecordingKeypad : IDigitInterceptor
{
    /// <summary>The longest pause between two keys of one sequence.</summary>
    public static readonly TimeSpan InterDigitTimeout = TimeSpan.FromSeconds(3);

    private readonly DtmfSequenceMatcher<RecordingCommand> _agent;
    private readonly char? _prospectKey;
    private readonly Func<bool> _noticePlaying;
    private readonly Action<RecordingCommand, ControlSource> _execute;

    /// <summary>Creates the keypad of a call under <paramref name="rule"/>.</summary>
    /// <param name="rule">The sequences and the prospect's key.</param>
    /// <param name="time">The clock of the inter-digit timeout.</param>
    /// <param name="noticePlaying">Whether the notice is playing to the prospect now.</param>
    /// <param name="execute">Carries out a command; called on the relay thread, must not block.</param>
    /// <exception cref="ArgumentException">The rule's sequences clash (one begins another) or hold a non-DTMF key.</exception>
    public RecordingKeypad(RecordingRule rule, TimeProvider time, Func<bool> noticePlaying, Action<RecordingCommand, ControlSource> execute)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _agent = new DtmfSequenceMatcher<RecordingCommand>(
            [
                new(rule.Keys.Pause, RecordingCommand.Pause),
                new(rule.Keys.Resume, RecordingCommand.Resume),
                new(rule.Keys.Start, RecordingCommand.Start),
                new(rule.Keys.Opposition, RecordingCommand.Oppose),
            ],
            InterDigitTimeout,
            time);
        _prospectKey = rule.ProspectOppositionKey is { } key ? DtmfDigits.Normalize(key) : null;
        _noticePlaying = noticePlaying;
        _execute = execute;
    }

    /// <inheritdoc />
    public bool OnDigit(CallParty from, char digit)
    {
        if (from == CallParty.Prospect)
        {
            if (_prospectKey == DtmfDigits.Normalize(digit) && _noticePlaying())
            {
                _execute(RecordingCommand.Oppose, ControlSource.ProspectKey);
            }

            return false;
        }

        if (_agent.TryMatch(digit, out RecordingCommand command))
        {
            _execute(command, ControlSource.AgentKeys);
            return true;
        }

        // The matcher keeps only keys that may still become a sequence, this one last.
        return _agent.PendingKeyCount > 0;
    }
}
