namespace CallSwitch.Recording.Opus;

/// <summary>The requested Opus implementation cannot run here (native libopus not found).</summary>
public sealed class OpusUnavailableException : Exception
{
    /// <summary>Creates the exception with a message that includes Concentus's probe log.</summary>
    public OpusUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OpusUnavailableException()
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public OpusUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
