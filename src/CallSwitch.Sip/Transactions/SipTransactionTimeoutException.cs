namespace CallSwitch.Sip.Transactions;

/// <summary>
/// A client transaction timed out (Timer B or F): RFC 3261 §8.1.3.1 says the TU treats this as a
/// 408 (Request Timeout). <see cref="ClientTransaction.FinalResponse"/> faults with it.
/// </summary>
public sealed class SipTransactionTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SipTransactionTimeoutException(string message)
        : base(message)
    {
    }
}
