using System.Security.Cryptography;

namespace CallSwitch.Recording.Encryption;

/// <summary>An encrypted recording or wrapped key failed authentication: tampered, truncated, reordered or the wrong key.</summary>
public sealed class RecordingIntegrityException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    public RecordingIntegrityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RecordingIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public RecordingIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
