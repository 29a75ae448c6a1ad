namespace CallSwitch.Sip.Transactions;

/// <summary>
/// The transaction timer base values (RFC 3261 §17.1.1.1 and Table 4). Every other timer is
/// derived from these; over a reliable flow the "wait" timers (D, I, J, K) are zero.
/// Immutable: share one instance between transactions.
/// </summary>
public sealed record SipTimerSettings
{
    /// <summary>The defaults of RFC 3261: T1 = 500 ms, T2 = 4 s, T4 = 5 s.</summary>
    public static SipTimerSettings Default { get; } = new();

    /// <summary>RFC 3261 §17.1.1.1: T1, an estimate of the round-trip time.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RFC 3261 §17.1.2.2: T2, the maximum retransmission interval of non-INVITE requests and INVITE responses.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>RFC 3261 §17.1.2.2: T4, the maximum time a message stays in the network.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>RFC 3261 §17.2.1: a server INVITE transaction sends 100 Trying when the TU has not answered within this delay.</summary>
    public TimeSpan TryingDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>RFC 3261 §17.1.1.2: Timer D, at least 32 s over an unreliable flow.</summary>
    public TimeSpan TimerDUnreliable { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>
    /// How late a terminal wait (Timers D, I, J, K, L, M) may end so that the waits ending close
    /// together end in one pass: each is a minimum (the time to absorb retransmissions), so
    /// staying a little longer is harmless, and at hundreds of set-ups per second one timer
    /// wake-up per wait was a measurable share of the switch. Zero ends each wait on time.
    /// </summary>
    public TimeSpan WaitSlack { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>64*T1: Timers B, F, H, J (unreliable), L and M (RFC 6026), and the CANCEL give-up delay of §9.1.</summary>
    public TimeSpan SixtyFourT1 => T1 * 64;

    /// <summary>Doubles a retransmission interval, capped at T2 when <paramref name="capAtT2"/> (Timers E and G).</summary>
    internal TimeSpan Double(TimeSpan interval, bool capAtT2)
    {
        TimeSpan doubled = interval * 2;
        return capAtT2 && doubled > T2 ? T2 : doubled;
    }
}
