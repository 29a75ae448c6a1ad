using System.CommandLine;
using System.CommandLine.Invocation;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.Sip.Auth;

namespace CallSwitch.Server.Cli;

/// <summary>
/// The commands of the executable: what each does. Their names, options and help are
/// <see cref="CliCommands"/>. Exit codes: 0 ok, 1 failure at run time, 2 bad usage or invalid configuration.
/// </summary>
public static class CommandLine
{
    /// <summary>
    /// Runs the command in <paramref name="args"/>, its output and help to <paramref name="output"/>,
    /// its errors to <paramref name="error"/>. A command line System.CommandLine cannot parse
    /// (unknown command or option, missing value) exits with 2 after one line on <paramref name="error"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);

        // No response files: a value starting with '@' (a password) is a value.
        ParseResult parse = CliCommands.Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            error.WriteLine(CliCommands.Reason(parse));
            return 2;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // An unexpected exception ends the process as it did before, with its stack; and
            // serve handles SIGTERM and Ctrl+C itself (a graceful stop, not System.CommandLine's timeout).
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>serve [--config FILE]</c>: runs the switch until SIGTERM or Ctrl+C.</summary>
    internal static async Task<int> ServeAsync(string? path, TextWriter error, CancellationToken cancellationToken)
    {
        var (config, errors) = Load(path);
        if (config is null)
        {
            foreach (ConfigError e in errors)
            {
                error.WriteLine(e.ToString());
            }

            error.WriteLine($"refusing to start: {errors.Count} error(s) in the configuration");
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            ctx =>
            {
                ctx.Cancel = true;
                stop.Cancel();
            });

        return await SwitchHost.RunAsync(config, path, stop.Token).ConfigureAwait(false);
    }

    /// <summary>The configuration in <paramref name="path"/>, the embedded one when null.</summary>
    internal static ConfigLoadResult Load(string? path) =>
        path is null ? EmbeddedConfig.Load() : ConfigLoader.LoadFile(path);

    /// <summary><c>config show-default</c>.</summary>
    internal static int ShowDefault(TextWriter output)
    {
        output.Write(EmbeddedConfig.Text());
        return 0;
    }

    /// <summary><c>config show [FILE]</c>.</summary>
    internal static int Show(string? path, TextWriter output, TextWriter error)
    {
        var (config, errors) = Load(path);
        if (config is null)
        {
            foreach (ConfigError e in errors)
            {
                error.WriteLine(e.ToString());
            }

            error.WriteLine($"{errors.Count} error(s)");
            return 2;
        }

        output.Write(ConfigPrinter.Print(config));
        return 0;
    }

    /// <summary><c>config check [FILE]</c>.</summary>
    internal static int Check(string? path, TextWriter output, TextWriter error)
    {
        var (config, errors) = Load(path);
        foreach (ConfigError e in errors)
        {
            error.WriteLine(e.ToString());
        }

        if (config is null)
        {
            error.WriteLine($"{errors.Count} error(s)");
            return 2;
        }

        int recorded = config.Campaigns.Count(c => c.Recording.Mode != RecordingMode.Never);
        output.WriteLine(
            $"{path ?? EmbeddedConfig.Name}: OK ({config.Listen.Count} listener(s), {config.Agents.Count} agent(s)); " +
            $"{config.Trunks.Count} trunk(s), {config.Campaigns.Count} campaign(s) ({recorded} recorded), {config.Inbound.Count} inbound number(s); country {config.Country}");

        // Warnings, not errors: the DPO decides, the check makes the practice visible.
        string? noPrivatePrefix = CallSwitch.Compliance.Access.AccessAdvice.WithoutPrivatePrefix(
            config.Agents.Where(a => config.PrivateCalls.PrefixOf(a) is null).Select(a => a.Extension).ToArray());
        IEnumerable<string> warnings = config.Campaigns
            .SelectMany(c => CnilAdvice.For(c.Recording).Concat(CallSwitch.Compliance.Access.AccessAdvice.For(c.AccessRules)))
            .Concat(noPrivatePrefix is null ? Array.Empty<string>() : new[] { noPrivatePrefix });
        foreach (string warning in warnings)
        {
            error.WriteLine("warning: " + warning);
        }

        return 0;
    }

    /// <summary><c>api-token [--id NAME]</c>.</summary>
    internal static int ApiToken(string id, TextWriter output, TextWriter error)
    {
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            error.WriteLine($"'{id}' is not a usable client id (letters, digits, '-', '_', '.')");
            return 2;
        }

        (string token, string hash) = Api.ApiClientAuthenticator.NewToken();
        output.WriteLine($"token (give it to the client, it is not stored): {token}");
        output.WriteLine("api.clients entry:");
        output.WriteLine($"    - id: {id}");
        output.WriteLine($"      token_sha256: {hash}");
        return 0;
    }

    /// <summary><c>hash-password --user EXT [--realm REALM] [--password PW]</c>: the password from standard input without --password.</summary>
    internal static int HashPassword(string user, string realm, string? password, TextWriter output, TextWriter error)
    {
        password ??= Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("empty password");
            return 2;
        }

        var hashes = DigestAccountHashes.FromPassword(user, realm, password);
        output.WriteLine($"    ha1_md5: {hashes.GetHa1(DigestAlgorithm.Md5)}");
        output.WriteLine($"    ha1_sha256: {hashes.GetHa1(DigestAlgorithm.Sha256)}");
        return 0;
    }
}
