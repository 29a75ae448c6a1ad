namespace CallSwitch.Compliance.Access;

/// <summary>An action the authorisation service refused (already audited by <see cref="AccessGuard"/>); the message is the reason.</summary>
public sealed class AccessDeniedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AccessDeniedException()
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public AccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and a cause.</summary>
    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
