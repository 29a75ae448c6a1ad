using System.Globalization;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch users add|list|disable|passwd|role</c>: CallSwitch's users in the metadata store of
/// <c>switch.paths.data</c>. Each change is in the audit log under the OS user's name. Passwords
/// are read by <see cref="PasswordPrompt"/> (never an argument) and stored only as PBKDF2 hashes.
/// Once an active admin@* exists, only an admin (<c>--as</c>, or the OS user's namesake) may run them.
/// </summary>
internal static class UserCommands
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 10;

    /// <summary>Runs <c>users <paramref name="command"/></c> on the values System.CommandLine parsed.</summary>
    /// <param name="command">add, list, disable, passwd or role.</param>
    /// <param name="arguments">The parsed values.</param>
    /// <param name="load">Loads the configuration.</param>
    /// <param name="readPassword">Reads the new password (<see cref="PasswordPrompt.ReadNew"/>); null when there is none.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static async Task<int> RunAsync(
        string command,
        UserArguments arguments,
        Func<string?, ConfigLoadResult> load,
        Func<string?> readPassword,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (StoreCommand.LoadConfig(arguments.Config, load, error) is not { } config)
        {
            return 2;
        }

        if (command != "list" && UserValidation.NameProblem(arguments.Name) is { } nameProblem)
        {
            error.WriteLine(nameProblem);
            return 2;
        }

        if (!TryGrants(arguments.Grant, out List<RoleGrant> grants, error) || !TryGrants(arguments.Revoke, out List<RoleGrant> revokes, error))
        {
            return 2;
        }

        if (arguments.Extension is { } extension && !config.Agents.Any(a => a.Extension == extension))
        {
            error.WriteLine($"no agent with extension {extension} in the configuration's agents");
            return 2;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        string actor = Environment.UserName;

        // Until an active admin on every scope exists, whoever can write the store (the OS user
        // who installed the switch) manages users: that is how the first admin is made.
        bool bootstrap = !(await store.ListUsersAsync(cancellationToken).ConfigureAwait(false))
            .Any(u => !u.Disabled && u.Grants.Contains(new RoleGrant(Role.Admin, AccessScope.All)));
        if (!bootstrap)
        {
            Principal? admin = await CliAccess.DemandAsync(
                store, config, arguments.As, arguments.ReadOwnPassword, AccessAction.Users, AccessResource.System, $"users {command}", error, cancellationToken)
                .ConfigureAwait(false);
            if (admin is null)
            {
                return 1;
            }

            actor = admin.Name;
        }

        string name = arguments.Name ?? string.Empty;
        switch (command)
        {
            case "list":
                foreach (User user in await store.ListUsersAsync(cancellationToken).ConfigureAwait(false))
                {
                    output.WriteLine(Line(user));
                }

                return 0;
            case "add":
                if (NewPassword(readPassword, error) is not { } password)
                {
                    return 2;
                }

                var newUser = new NewUser(name, PasswordHasher.Hash(password), arguments.Extension, grants);
                if (!await store.AddUserAsync(newUser, actor, cancellationToken).ConfigureAwait(false))
                {
                    error.WriteLine($"user {name} or extension {arguments.Extension} already exists");
                    return 1;
                }

                output.WriteLine($"added {name}");
                return 0;
            case "passwd":
                if (await store.GetUserAsync(name, cancellationToken).ConfigureAwait(false) is null)
                {
                    return NoSuchUser(name, error);
                }

                if (NewPassword(readPassword, error) is not { } changed)
                {
                    return 2;
                }

                await store.SetPasswordHashAsync(name, PasswordHasher.Hash(changed), actor, cancellationToken).ConfigureAwait(false);
                output.WriteLine($"password of {name} changed");
                return 0;
            case "disable":
                if (!await store.SetDisabledAsync(name, !arguments.Undo, actor, cancellationToken).ConfigureAwait(false))
                {
                    return NoSuchUser(name, error);
                }

                output.WriteLine($"{name} {(arguments.Undo ? "enabled" : "disabled")}");
                return 0;
            default:
                return await RoleAsync(store, name, grants, revokes, actor, output, error, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One line of <c>users list</c>: name, extension, state, roles.</summary>
    public static string Line(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return string.Join(
            "  ",
            user.Name,
            user.Extension ?? "-",
            user.Disabled ? "disabled" : "active",
            user.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            user.Grants.Count == 0 ? "(no role)" : string.Join(',', user.Grants));
    }

    private static async Task<int> RoleAsync(
        SqliteMetadataStore store,
        string name,
        List<RoleGrant> grants,
        List<RoleGrant> revokes,
        string actor,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (grants.Count + revokes.Count == 0)
        {
            error.WriteLine("users role needs --grant or --revoke");
            return 2;
        }

        if (await store.GetUserAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return NoSuchUser(name, error);
        }

        foreach ((RoleGrant grant, bool granted) in grants.Select(g => (g, true)).Concat(revokes.Select(g => (g, false))))
        {
            bool changed = await store.SetGrantAsync(name, grant, granted, actor, cancellationToken).ConfigureAwait(false);
            output.WriteLine(changed ? $"{(granted ? "granted" : "revoked")} {grant}" : $"{grant} was already {(granted ? "held" : "not held")}");
        }

        return 0;
    }

    private static bool TryGrants(IReadOnlyList<string> texts, out List<RoleGrant> grants, TextWriter error)
    {
        grants = [];
        foreach (string text in texts)
        {
            if (!RoleGrant.TryParse(text, out RoleGrant? grant, out string? reason))
            {
                error.WriteLine(reason);
                return false;
            }

            grants.Add(grant);
        }

        return true;
    }

    private static string? NewPassword(Func<string?> readPassword, TextWriter error)
    {
        string? password = readPassword();
        if (password is null || password.Length < MinimumPasswordLength)
        {
            error.WriteLine($"the password needs at least {MinimumPasswordLength} characters");
            return null;
        }

        return password;
    }

    private static int NoSuchUser(string name, TextWriter error)
    {
        error.WriteLine($"no user {name}");
        return 1;
    }
}
