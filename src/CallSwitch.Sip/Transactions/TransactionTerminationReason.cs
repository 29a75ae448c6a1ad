namespace CallSwitch.Sip.Transactions;

/// <summary>Why a transaction reached <see cref="TransactionState.Terminated"/>.</summary>
public enum TransactionTerminationReason
{
    /// <summary>Not terminated yet.</summary>
    None,

    /// <summary>The exchange ended normally (its wait timer ran out, or a reliable flow needed no wait).</summary>
    Normal,

    /// <summary>
    /// Timer B or F fired (the client gave up; RFC 3261 §8.1.3.1 treats it as 408), Timer H fired
    /// (no ACK for a non-2xx final), or a cancelled INVITE got no final response within 64*T1 (§9.1).
    /// </summary>
    Timeout,

    /// <summary>The transport could not send a message (RFC 3261 §17.1.4, §17.2.4).</summary>
    TransportError,
}
