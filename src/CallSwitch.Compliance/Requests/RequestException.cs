namespace CallSwitch.Compliance.Requests;

/// <summary>A request operation that cannot be done as asked (unknown id, already answered, no data); nothing was changed. The message says why in one line.</summary>
public sealed class RequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RequestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
