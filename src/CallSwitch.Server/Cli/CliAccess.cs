using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>
/// Who runs a store command and whether they may: <c>--as USER</c> with the password read from
/// standard input or the terminal, or else the CallSwitch user named like the OS user; then the
/// one authorisation service decides (a denial is audited).
/// </summary>
internal static class CliAccess
{
    /// <summary>The guard over the configuration's campaigns.</summary>
    public static AccessGuard Guard(SwitchConfig config, IAuditLog audit) =>
        new(new Authorizer(SwitchConfigMapper.ToCampaignAccess(config)), audit, TimeProvider.System);

    /// <summary>The signed-in principal, or null after saying why on <paramref name="error"/>.</summary>
    /// <param name="store">The store holding the users.</param>
    /// <param name="asUser">The --as value, if given.</param>
    /// <param name="readPassword">Reads the password of <paramref name="asUser"/>.</param>
    /// <param name="command">The command's name, for the message.</param>
    /// <param name="error">Where refusals go.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static async Task<Principal?> SignInAsync(
        IMetadataStore store, string? asUser, Func<string?> readPassword, string command, TextWriter error, CancellationToken cancellationToken)
    {
        using UserDirectory users = await UserDirectory.LoadAsync(store, store, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        if (asUser is { } name)
        {
            if (readPassword() is not { Length: > 0 } password)
            {
                error.WriteLine($"--as {name}: no password (give it on standard input or at the prompt)");
                return null;
            }

            Principal? signedIn = await users.SignInAsync(name, password, "cli", cancellationToken).ConfigureAwait(false);
            if (signedIn is null)
            {
                error.WriteLine($"--as {name}: sign-in failed (unknown user, wrong password or disabled user)");
            }

            return signedIn;
        }

        Principal? mapped = users.Find(Environment.UserName);
        if (mapped is null)
        {
            error.WriteLine(
                $"{command} refused: the OS user {Environment.UserName} is not a CallSwitch user; give --as USER (password on standard input or at the prompt), or add it with callswitch users add");
        }

        return mapped;
    }

    /// <summary>Signs in and demands the right; the principal, or null after saying why (exit code 1).</summary>
    public static async Task<Principal?> DemandAsync(
        IMetadataStore store,
        SwitchConfig config,
        string? asUser,
        Func<string?> readPassword,
        AccessAction action,
        AccessResource resource,
        string command,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (await SignInAsync(store, asUser, readPassword, command, error, cancellationToken).ConfigureAwait(false) is not { } principal)
        {
            return null;
        }

        AccessDecision decision = await Guard(config, store).CheckAsync(principal, action, resource, null, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            error.WriteLine($"{command} refused to {principal.Name}: {decision.Reason}");
            return null;
        }

        return principal;
    }
}
