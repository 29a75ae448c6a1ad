namespace CallSwitch.Calls.Media;

/// <summary>
/// Decides, as each key press starts, whether it reaches the other party: the per-call hook of
/// <see cref="CallMedia"/> through which the recording's keypad consumes the agent's control
/// sequences.
/// </summary>
/// <remarks>
/// Called on the relay's receive thread of the pressing party's leg, once per key press (at
/// its first RFC 4733 packet), one call at a time per leg. Must not block and should not
/// allocate; work that takes time (opening a recording) is handed to another thread.
/// </remarks>
public interface IDigitInterceptor
{
    /// <summary>A key press from <paramref name="from"/> started.</summary>
    /// <returns>True to withhold every packet of this key press from the other party.</returns>
    bool OnDigit(CallParty from, char digit);
}
