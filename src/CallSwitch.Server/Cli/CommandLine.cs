using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;
using CallSwitch.Server.Hosting;
using CallSwitch.Sip.Auth;

namespace CallSwitch.Server.Cli;

/// <summary>The commands of the executable. Exit codes: 0 ok, 1 failure at run time, 2 bad usage or invalid configuration.</summary>
public static class CommandLine
{
    /// <summary>The help text.</summary>
    public const string Usage = """
        usage:
          callswitch serve [--config FILE]        run the switch (embedded defaults without --config)
          callswitch config check [FILE]          check a configuration file (the embedded one without FILE):
                                                  every error with file:line:column, exit code 2
          callswitch config show [FILE]           print the effective configuration, secrets masked
          callswitch config show-default          print the embedded default configuration
                                                  (its relative paths resolve against ./config)
        a running switch reloads its --config file when the file changes and on SIGHUP
          callswitch hash-password --user EXT [--realm REALM] [--password PW]
                                                  print the ha1_md5 / ha1_sha256 lines of an agent
                                                  (reads the password from standard input without --password)
          callswitch api-token [--id NAME]        make an API client's bearer token and the api.clients entry
                                                  (with its token_sha256) for the configuration
          callswitch recordings list [--config FILE]
                                                  every recording: id, start, duration, campaign, agent, number, status
          callswitch recordings search [--number N] [--campaign C] [--agent A] [--from DATE] [--to DATE] [--config FILE]
                                                  the recordings matching (numbers as people write them; --to DATE
                                                  includes that day)
          callswitch recordings export ID --out FILE.ogg [--config FILE]
                                                  decrypt a recording into a plain Ogg Opus file
        every recordings command is in the audit log, under the OS user's name, purpose "cli"
        """;

    /// <summary>Runs the command in <paramref name="args"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            output.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "serve":
                return await ServeAsync(args[1..], output, error, cancellationToken).ConfigureAwait(false);
            case "config" when args.Length is 2 or 3 && args[1] == "check":
                return Check(args.Length > 2 ? args[2] : null, output, error);
            case "config" when args.Length is 2 or 3 && args[1] == "show":
                return Show(args.Length > 2 ? args[2] : null, output, error);
            case "config" when args.Length == 2 && args[1] == "show-default":
                output.Write(EmbeddedConfig.Text());
                return 0;
            case "recordings":
                return await RecordingCommands.RunAsync(args[1..], Load, output, error, cancellationToken).ConfigureAwait(false);
            case "hash-password":
                return HashPassword(args[1..], output, error);
            case "api-token":
                return ApiToken(args[1..], output, error);
            default:
                error.WriteLine($"unknown command: {string.Join(' ', args)}");
                error.WriteLine(Usage);
                return 2;
        }
    }

    private static async Task<int> ServeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? path = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                path = args[++i];
            }
            else
            {
                error.WriteLine($"unknown option for serve: {args[i]}");
                return 2;
            }
        }

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

    private static ConfigLoadResult Load(string? path) =>
        path is null ? EmbeddedConfig.Load() : ConfigLoader.LoadFile(path);

    private static int Show(string? path, TextWriter output, TextWriter error)
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

    private static int Check(string? path, TextWriter output, TextWriter error)
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
        return 0;
    }

    private static int ApiToken(string[] args, TextWriter output, TextWriter error)
    {
        string id = "crm";
        if (args is ["--id", var name])
        {
            id = name;
        }
        else if (args.Length != 0)
        {
            error.WriteLine(Usage);
            return 2;
        }

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

    private static int HashPassword(string[] args, TextWriter output, TextWriter error)
    {
        string? user = null;
        string realm = "callswitch";
        string? password = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--user": user = args[i + 1]; break;
                case "--realm": realm = args[i + 1]; break;
                case "--password": password = args[i + 1]; break;
                default:
                    error.WriteLine($"unknown option for hash-password: {args[i]}");
                    return 2;
            }
        }

        if (args.Length % 2 != 0 || user is null)
        {
            error.WriteLine(Usage);
            return 2;
        }

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
