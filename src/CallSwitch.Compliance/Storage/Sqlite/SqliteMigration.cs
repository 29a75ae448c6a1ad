namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>One numbered step of the schema, applied once, in its own transaction.</summary>
/// <param name="Version">The schema version after the step; steps are numbered 1, 2, 3… without gaps.</param>
/// <param name="Description">What the step does, kept in schema_version.</param>
/// <param name="Sql">The statements.</param>
internal sealed record SqliteMigration(int Version, string Description, string Sql);
