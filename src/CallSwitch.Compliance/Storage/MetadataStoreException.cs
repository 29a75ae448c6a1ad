namespace CallSwitch.Compliance.Storage;

/// <summary>
/// A write was refused by the store: a duplicate id, a reference to something never saved, a
/// database that cannot be written. The store goes on with the next write.
/// </summary>
public sealed class MetadataStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MetadataStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
