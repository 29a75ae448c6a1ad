namespace CallSwitch.Server.Cli;

/// <summary>The values of a <c>callswitch users</c> command line, as <see cref="CliCommands"/> parsed them.</summary>
internal sealed record UserArguments
{
    /// <summary>The configuration file whose paths.data holds the store (embedded defaults when null).</summary>
    public string? Config { get; init; }

    /// <summary>The user's login name (all but list).</summary>
    public string? Name { get; init; }

    /// <summary>The SIP extension to link (add).</summary>
    public string? Extension { get; init; }

    /// <summary>Roles to grant, as <c>ROLE@SCOPE</c> (add, role).</summary>
    public IReadOnlyList<string> Grant { get; init; } = [];

    /// <summary>Roles to revoke, as <c>ROLE@SCOPE</c> (role).</summary>
    public IReadOnlyList<string> Revoke { get; init; } = [];

    /// <summary>Enable instead of disable (disable --undo).</summary>
    public bool Undo { get; init; }

    /// <summary>The admin running the command (the OS user's namesake without it).</summary>
    public string? As { get; init; }

    /// <summary>Reads the password of <see cref="As"/> (before the new password, when both come from standard input).</summary>
    public Func<string?> ReadOwnPassword { get; init; } = () => null;
}
