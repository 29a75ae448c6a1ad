namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The metadata database cannot be opened by this version of CallSwitch: its schema is newer than
/// the code knows (written by a later release), or a migration failed. Nothing was changed.
/// </summary>
public sealed class MetadataSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MetadataSchemaException(string message, int? databaseVersion, int knownVersion, Exception? innerException = null)
        : base(message, innerException)
    {
        DatabaseVersion = databaseVersion;
        KnownVersion = knownVersion;
    }

    /// <summary>The schema version found in the database, if it could be read.</summary>
    public int? DatabaseVersion { get; }

    /// <summary>The newest schema version this code knows.</summary>
    public int KnownVersion { get; }
}
