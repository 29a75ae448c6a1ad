using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Media.Dtmf;

/// <summary>
/// Matches key presses against configured key sequences ("*1" → pause, "*2" → resume,
/// "9" → opposition, ...) with an inter-digit timeout.
/// </summary>
/// <remarks>
/// <para>
/// Keys typed more than the timeout apart do not combine: the earlier ones are forgotten. Keys
/// that cannot lead to any sequence are dropped from the front, so a sequence is found at the
/// end of whatever was typed before it ("5*1" still matches "*1"). A match consumes the keys.
/// </para>
/// <para>
/// No sequence may be a prefix of another: "*1" and "*12" would need a timer to decide, which
/// would delay every "*1". Such a configuration is refused at construction, i.e. at config
/// load, not during a call.
/// </para>
/// <para>
/// One instance per call leg, fed from the thread that runs the leg's
/// <see cref="DtmfEventDetector"/>; not thread-safe. Elapsed time comes from the
/// <see cref="TimeProvider"/>'s monotonic timestamp. Matching allocates nothing.
/// </para>
/// </remarks>
/// <typeparam name="TAction">What a sequence triggers, e.g. an enum of recorder actions.</typeparam>
public sealed class DtmfSequenceMatcher<TAction>
{
    private readonly string[] _sequences;
    private readonly TAction[] _actions;
    private readonly char[] _typed;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interDigitTimeout;
    private int _count;
    private long _lastKeyTimestamp;

    /// <summary>Creates a matcher.</summary>
    /// <param name="sequences">Key sequences (DTMF keys only, case-insensitive) and their actions.</param>
    /// <param name="interDigitTimeout">Longest pause allowed between two keys of one sequence.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">A sequence is empty, has a non-DTMF character, is
    /// repeated, or is a prefix of another.</exception>
    public DtmfSequenceMatcher(
        IEnumerable<KeyValuePair<string, TAction>> sequences,
        TimeSpan interDigitTimeout,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interDigitTimeout, TimeSpan.Zero);
        _timeProvider = timeProvider;
        _interDigitTimeout = interDigitTimeout;

        var pairs = sequences.Select(p => (Keys: NormalizeSequence(p.Key), p.Value)).ToArray();
        if (pairs.Length == 0)
        {
            throw new ArgumentException("At least one key sequence is needed.", nameof(sequences));
        }

        foreach (var a in pairs)
        {
            foreach (var b in pairs)
            {
                if (!ReferenceEquals(a.Keys, b.Keys) && b.Keys.StartsWith(a.Keys, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        a.Keys == b.Keys
                            ? $"The key sequence \"{a.Keys}\" is configured twice."
                            : $"The key sequence \"{a.Keys}\" is a prefix of \"{b.Keys}\"; one of them could never be told apart.",
                        nameof(sequences));
                }
            }
        }

        _sequences = [.. pairs.Select(p => p.Keys)];
        _actions = [.. pairs.Select(p => p.Value)];
        _typed = new char[_sequences.Max(s => s.Length)];
    }

    /// <summary>Number of keys typed so far that may still become a sequence.</summary>
    public int PendingKeyCount => _count;

    /// <summary>
    /// Feeds one key press. Returns true with the action when it completes a sequence.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="digit"/> is not a DTMF key.</exception>
    public bool TryMatch(char digit, [MaybeNullWhen(false)] out TAction action)
    {
        var key = DtmfDigits.Normalize(digit);
        var now = _timeProvider.GetTimestamp();
        if (_count > 0 && _timeProvider.GetElapsedTime(_lastKeyTimestamp, now) > _interDigitTimeout)
        {
            _count = 0;
        }

        _lastKeyTimestamp = now;
        if (_count == _typed.Length)
        {
            Drop(1); // cannot happen with prefix-free sequences, but keeps the buffer in bounds
        }

        _typed[_count++] = key;
        while (_count > 0)
        {
            var typed = _typed.AsSpan(0, _count);
            var isPrefix = false;
            for (var i = 0; i < _sequences.Length; i++)
            {
                var sequence = _sequences[i].AsSpan();
                if (sequence.SequenceEqual(typed))
                {
                    _count = 0;
                    action = _actions[i];
                    return true;
                }

                isPrefix |= sequence.StartsWith(typed);
            }

            if (isPrefix)
            {
                break;
            }

            Drop(1);
        }

        action = default;
        return false;
    }

    /// <summary>Forgets the keys typed so far.</summary>
    public void Reset() => _count = 0;

    private void Drop(int keys)
    {
        _typed.AsSpan(keys, _count - keys).CopyTo(_typed);
        _count -= keys;
    }

    private static string NormalizeSequence(string sequence)
    {
        if (string.IsNullOrEmpty(sequence))
        {
            throw new ArgumentException("A key sequence cannot be empty.", nameof(sequence));
        }

        return string.Create(sequence.Length, sequence, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                if (!DtmfDigits.IsDigit(source[i]))
                {
                    throw new ArgumentException(
                        $"The key sequence \"{source}\" contains '{source[i]}', which is not a DTMF key (0-9, *, #, A-D).",
                        nameof(sequence));
                }

                span[i] = DtmfDigits.Normalize(source[i]);
            }
        });
    }
}
