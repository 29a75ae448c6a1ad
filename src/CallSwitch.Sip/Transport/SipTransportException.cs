namespace CallSwitch.Sip.Transport;

/// <summary>A message could not be sent (no route, connection refused or reset, socket error).</summary>
public sealed class SipTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SipTransportException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
