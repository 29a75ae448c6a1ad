namespace CallSwitch.Media.Announcements;

/// <summary>
/// An announcement file cannot be used: missing, unreadable, not a WAV file, an unsupported
/// encoding, empty or too long. Raised at load time (configuration validation), never during a
/// call. The message names the file and the reason, for operators.
/// </summary>
public sealed class AnnouncementLoadException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public AnnouncementLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public AnnouncementLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with no detail.</summary>
    public AnnouncementLoadException()
    {
    }
}
