namespace CallSwitch.Media.Relay;

/// <summary>No free even/odd port pair is left in the configured RTP range.</summary>
public sealed class PortRangeExhaustedException : Exception
{
    public PortRangeExhaustedException()
    {
    }

    public PortRangeExhaustedException(string message)
        : base(message)
    {
    }

    public PortRangeExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
