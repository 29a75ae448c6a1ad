using CallSwitch.Compliance.Access;
using Microsoft.Data.Sqlite;

namespace CallSwitch.Compliance.Storage.Sqlite;

/// <summary>The SQL of users and their roles; each change appends its audit entry in the same transaction.</summary>
internal static class SqliteUserSql
{
    public static bool Add(SqliteConnection connection, SqliteTransaction transaction, NewUser user, AuditEvent audit)
    {
        using (SqliteCommand command = Command(connection, transaction, """
            INSERT INTO users (name, extension, password_hash, disabled, created_at_us, changed_at_us)
            VALUES ($name, $extension, $hash, 0, $at, $at)
            ON CONFLICT DO NOTHING
            """))
        {
            command.Parameters.AddWithValue("$name", user.Name);
            command.Parameters.AddWithValue("$extension", (object?)user.Extension ?? DBNull.Value);
            command.Parameters.AddWithValue("$hash", user.PasswordHash);
            command.Parameters.AddWithValue("$at", SqliteCodes.ToMicros(audit.At));
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }
        }

        foreach (RoleGrant grant in user.Grants.Distinct())
        {
            InsertGrant(connection, transaction, user.Name, grant);
        }

        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    public static bool SetDisabled(SqliteConnection connection, SqliteTransaction transaction, string name, bool disabled, AuditEvent audit)
    {
        using SqliteCommand command = Command(connection, transaction, "UPDATE users SET disabled = $disabled, changed_at_us = $at WHERE name = $name");
        command.Parameters.AddWithValue("$disabled", disabled ? 1 : 0);
        command.Parameters.AddWithValue("$at", SqliteCodes.ToMicros(audit.At));
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery() > 0 && Audited(connection, transaction, audit);
    }

    public static bool SetPasswordHash(SqliteConnection connection, SqliteTransaction transaction, string name, string hash, AuditEvent audit)
    {
        using SqliteCommand command = Command(connection, transaction, "UPDATE users SET password_hash = $hash, changed_at_us = $at WHERE name = $name");
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$at", SqliteCodes.ToMicros(audit.At));
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery() > 0 && Audited(connection, transaction, audit);
    }

    public static bool SetGrant(SqliteConnection connection, SqliteTransaction transaction, string name, RoleGrant grant, bool granted, AuditEvent audit)
    {
        if (!Exists(connection, transaction, name))
        {
            return false;
        }

        int changed;
        if (granted)
        {
            changed = InsertGrant(connection, transaction, name, grant);
        }
        else
        {
            using SqliteCommand command = Command(
                connection,
                transaction,
                "DELETE FROM user_roles WHERE user_name = $name AND role = $role AND scope_kind = $kind AND scope_name = $scope");
            AddGrantParameters(command, name, grant);
            changed = command.ExecuteNonQuery();
        }

        if (changed == 0)
        {
            return false;
        }

        using (SqliteCommand touch = Command(connection, transaction, "UPDATE users SET changed_at_us = $at WHERE name = $name"))
        {
            touch.Parameters.AddWithValue("$at", SqliteCodes.ToMicros(audit.At));
            touch.Parameters.AddWithValue("$name", name);
            touch.ExecuteNonQuery();
        }

        return Audited(connection, transaction, audit);
    }

    public static string? PasswordHash(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using SqliteCommand command = Command(connection, transaction, "SELECT password_hash FROM users WHERE name = $name");
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as string;
    }

    public static IReadOnlyList<User> List(SqliteConnection connection, SqliteTransaction transaction, string? name)
    {
        var grants = new Dictionary<string, List<RoleGrant>>(StringComparer.Ordinal);
        using (SqliteCommand roles = Command(
            connection,
            transaction,
            "SELECT user_name, role, scope_kind, scope_name FROM user_roles WHERE $name IS NULL OR user_name = $name ORDER BY user_name, role, scope_kind, scope_name"))
        {
            roles.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
            using SqliteDataReader reader = roles.ExecuteReader();
            while (reader.Read())
            {
                string user = reader.GetString(0);
                if (!grants.TryGetValue(user, out List<RoleGrant>? list))
                {
                    grants[user] = list = [];
                }

                list.Add(new RoleGrant(ToRole(reader.GetString(1)), ToScope(reader.GetString(2), reader.GetString(3))));
            }
        }

        var users = new List<User>();
        using SqliteCommand command = Command(
            connection,
            transaction,
            "SELECT name, extension, disabled, created_at_us FROM users WHERE $name IS NULL OR name = $name ORDER BY name");
        command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string user = reader.GetString(0);
                users.Add(new User(
                    user,
                    SqliteCallSql.NullableString(reader, 1),
                    reader.GetInt64(2) != 0,
                    grants.TryGetValue(user, out List<RoleGrant>? list) ? list : [],
                    SqliteCodes.FromMicros(reader.GetInt64(3))));
            }
        }

        return users;
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using SqliteCommand command = Command(connection, transaction, "SELECT COUNT(*) FROM users WHERE name = $name");
        command.Parameters.AddWithValue("$name", name);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static int InsertGrant(SqliteConnection connection, SqliteTransaction transaction, string name, RoleGrant grant)
    {
        using SqliteCommand command = Command(
            connection,
            transaction,
            "INSERT INTO user_roles (user_name, role, scope_kind, scope_name) VALUES ($name, $role, $kind, $scope) ON CONFLICT DO NOTHING");
        AddGrantParameters(command, name, grant);
        return command.ExecuteNonQuery();
    }

    private static void AddGrantParameters(SqliteCommand command, string name, RoleGrant grant)
    {
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$role", RoleNames.ToCode(grant.Role));
        command.Parameters.AddWithValue("$kind", grant.Scope.Kind switch
        {
            ScopeKind.All => "all",
            ScopeKind.Team => "team",
            ScopeKind.Campaign => "campaign",
            _ => throw new ArgumentException($"a user cannot hold {grant}: agent scopes are for API clients", nameof(grant)),
        });
        command.Parameters.AddWithValue("$scope", grant.Scope.Name);
    }

    private static Role ToRole(string code) =>
        RoleNames.TryParse(code, out Role? role) ? role.Value : throw new InvalidDataException($"The metadata database holds an unknown role '{code}'.");

    private static AccessScope ToScope(string kind, string name) => kind switch
    {
        "all" => AccessScope.All,
        "team" => new AccessScope(ScopeKind.Team, name),
        "campaign" => new AccessScope(ScopeKind.Campaign, name),
        _ => throw new InvalidDataException($"The metadata database holds an unknown scope kind '{kind}'."),
    };

    private static bool Audited(SqliteConnection connection, SqliteTransaction transaction, AuditEvent audit)
    {
        SqliteAuditSql.Append(connection, transaction, audit);
        return true;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
