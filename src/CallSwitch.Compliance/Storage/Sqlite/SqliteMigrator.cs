using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>
/// Brings a database to the schema this code knows, at start, before the writer runs. Each step
/// commits with its schema_version row, so a failed step leaves the database at the step before.
/// </summary>
internal static class SqliteMigrator
{
    /// <summary>The version found in the database (0 for a new one).</summary>
    public static int CurrentVersion(SqliteConnection connection)
    {
        using SqliteCommand exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using SqliteCommand max = connection.CreateCommand();
        max.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(max.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Refuses a database newer than the code, before anything is written to it.</summary>
    public static void RefuseNewer(SqliteConnection connection, string path, IReadOnlyList<SqliteMigration> migrations)
    {
        int known = migrations[^1].Version;
        int version = CurrentVersion(connection);
        if (version > known)
        {
            throw new MetadataSchemaException(
                $"The metadata database {path} has schema version {version}, but this CallSwitch knows versions up to {known}: " +
                "it was written by a newer CallSwitch. Run that version, or restore a backup; the database was left untouched.",
                version,
                known);
        }
    }

    /// <summary>Applies the steps the database lacks; returns the version reached.</summary>
    public static int Migrate(SqliteConnection connection, string path, IReadOnlyList<SqliteMigration> migrations, TimeProvider time)
    {
        EnsureVersionTable(connection);
        int known = migrations[^1].Version;
        foreach (SqliteMigration migration in migrations)
        {
            // IMMEDIATE: a second process opening the same file waits instead of applying the step twice.
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            int version = CurrentVersion(connection);
            if (version > known)
            {
                throw new MetadataSchemaException(
                    $"The metadata database {path} was upgraded to schema version {version} by a newer CallSwitch while opening; this one knows up to {known}.",
                    version,
                    known);
            }

            if (migration.Version <= version)
            {
                continue;
            }

            try
            {
                using (SqliteCommand step = connection.CreateCommand())
                {
                    step.Transaction = transaction;
                    step.CommandText = migration.Sql;
                    step.ExecuteNonQuery();
                }

                using (SqliteCommand record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_version (version, description, applied_at_us) VALUES ($version, $description, $at)";
                    record.Parameters.AddWithValue("$version", migration.Version);
                    record.Parameters.AddWithValue("$description", migration.Description);
                    record.Parameters.AddWithValue("$at", SqliteCodes.ToMicros(time.GetUtcNow()));
                    record.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException e)
            {
                throw new MetadataSchemaException(
                    $"Migrating the metadata database {path} to schema version {migration.Version} ({migration.Description}) failed: {e.Message}. " +
                    $"It was left at version {version}.",
                    version,
                    known,
                    e);
            }
        }

        return CurrentVersion(connection);
    }

    private static void EnsureVersionTable(SqliteConnection connection)
    {
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version       INTEGER NOT NULL PRIMARY KEY,
                description   TEXT    NOT NULL,
                applied_at_us INTEGER NOT NULL
            )
            """;
        create.ExecuteNonQuery();
    }
}
