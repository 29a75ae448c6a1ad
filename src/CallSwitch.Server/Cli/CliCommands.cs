using System.CommandLine;
using System.CommandLine.Help;

namespace CallSwitch.Server.Cli;

/// <summary>
/// The <c>callswitch</c> command tree on System.CommandLine: every command, option and argument
/// with its description, from which the help, the parse errors and the shell completions come.
/// Only parsing lives here: each action reads its values and makes one call to a command body
/// (<see cref="CommandLine"/>, <see cref="RecordingCommands"/>), which does the work.
/// </summary>
internal static partial class CliCommands
{
    /// <summary>The executable's name, as help and error hints show it (the host's name may be <c>dotnet</c> or a test host).</summary>
    public const string ExecutableName = "callswitch";

    private const string ConfigOfTheStore = "The switch's configuration file, whose paths.data holds the recordings' store (the embedded defaults without it).";

    /// <summary>Builds the tree (a new one per run: System.CommandLine symbols keep their parents).</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("CallSwitch: a SIP softswitch with GDPR call recording.")
        {
            HelpName = ExecutableName,
        };

        // [suggest] (shell completion, what dotnet-suggest calls) comes with RootCommand;
        // [diagram] shows how a command line was understood.
        root.Directives.Add(new DiagramDirective());
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Config());
        root.Subcommands.Add(HashPassword());
        root.Subcommands.Add(ApiToken());
        root.Subcommands.Add(Recordings());
        root.Subcommands.Add(Receipts());
        root.Subcommands.Add(Holds());
        root.Subcommands.Add(Retention());
        root.Subcommands.Add(Users());
        root.Subcommands.Add(Audit());
        root.Subcommands.Add(Kpi());
        root.Subcommands.Add(Register());
        root.Subcommands.Add(Requests());
        root.Subcommands.Add(DoNotCall());
        root.Subcommands.Add(SelfTest());

        // `callswitch help` printed the usage before System.CommandLine: it still does, and
        // `callswitch help recordings` is `callswitch recordings --help`.
        var words = new Argument<string[]>("COMMAND") { Description = "The command to describe.", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show the help of callswitch or of a command.") { Hidden = true };
        help.Arguments.Add(words);
        help.SetAction(parse => root.Parse([.. parse.GetValue(words) ?? [], "--help"]).Invoke(parse.InvocationConfiguration));
        root.Subcommands.Add(help);
        NeedsACommand(root);
        return root;
    }

    /// <summary>The command's words as typed, from the executable's name (<c>callswitch recordings export</c>).</summary>
    public static string PathOf(Command command)
    {
        var words = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Add(c is RootCommand ? ExecutableName : c.Name);
        }

        words.Reverse();
        return string.Join(' ', words);
    }

    /// <summary>
    /// What is wrong with a command line that does not parse, in one line, with where to look:
    /// <c>Unrecognized command or argument '--usr'. Did you mean '--user'? (see callswitch hash-password --help)</c>.
    /// Only the first error: the others usually follow from it (a mistyped option's value is itself unrecognized).
    /// </summary>
    public static string Reason(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string reason = parse.Errors.Count > 0 ? parse.Errors[0].Message.ReplaceLineEndings(" ").Trim() : "Not understood.";
        Command command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0 && Closest(parse.UnmatchedTokens[0], command) is { } guess)
        {
            reason += $" Did you mean '{guess}'?";
        }

        return $"{reason} (see {PathOf(command)} --help)";
    }

    private static Command Serve()
    {
        Option<string> config = ConfigOption(
            "The configuration file (the embedded defaults without it). The running switch reloads it when it changes and on SIGHUP.");
        var command = new Command("serve", "Run the switch until SIGTERM or Ctrl+C.") { config };
        command.SetAction((parse, cancellationToken) =>
            CommandLine.ServeAsync(parse.GetValue(config), Error(parse), cancellationToken));
        return command;
    }

    private static Command Config()
    {
        Argument<string> checkFile = FileArgument("The file to check (the embedded configuration without it).");
        var check = new Command("check", "Check a configuration file: every error with file:line:column, exit code 2 when there is one.") { checkFile };
        check.SetAction(parse => CommandLine.Check(parse.GetValue(checkFile), Out(parse), Error(parse)));

        Argument<string> showFile = FileArgument("The file to print (the embedded configuration without it).");
        var show = new Command("show", "Print the effective configuration, secrets masked.") { showFile };
        show.SetAction(parse => CommandLine.Show(parse.GetValue(showFile), Out(parse), Error(parse)));

        var showDefault = new Command("show-default", "Print the embedded default configuration (its relative paths resolve against ./config).");
        showDefault.SetAction(parse => CommandLine.ShowDefault(Out(parse)));

        var command = new Command("config", "Check or print a configuration.") { check, show, showDefault };
        NeedsACommand(command);
        return command;
    }

    private static Command HashPassword()
    {
        var user = new Option<string>("--user")
        {
            Description = "The agent's extension: its SIP user name, as in the configuration's agents.",
            HelpName = "EXT",
            Required = true,
        };
        var realm = new Option<string>("--realm")
        {
            Description = "The digest realm: the configuration's switch.realm (the HA1 values hold it).",
            HelpName = "REALM",
            DefaultValueFactory = _ => "callswitch",
        };
        var password = new Option<string>("--password")
        {
            Description = "The agent's password. Without it, it is read from standard input (and stays out of the shell's history).",
            HelpName = "PW",
        };
        var command = new Command("hash-password", "Print the ha1_md5 and ha1_sha256 lines of an agent, for the configuration.") { user, realm, password };
        command.SetAction(parse =>
            CommandLine.HashPassword(parse.GetRequiredValue(user), parse.GetRequiredValue(realm), parse.GetValue(password), Out(parse), Error(parse)));
        return command;
    }

    private static Command ApiToken()
    {
        var id = new Option<string>("--id")
        {
            Description = "The client's id in api.clients: letters, digits, '-', '_', '.'.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "crm",
        };
        var command = new Command("api-token", "Make an API client's bearer token and its api.clients entry (with the token's token_sha256).") { id };
        command.SetAction(parse => CommandLine.ApiToken(parse.GetRequiredValue(id), Out(parse), Error(parse)));
        return command;
    }

    private static Command Recordings()
    {
        Option<string> listConfig = ConfigOption(ConfigOfTheStore);
        Option<string> listAs = AsOption();
        var list = new Command("list", "Every recording the user may see: id, start, duration, campaign, agent, number, status.") { listAs, listConfig };
        list.SetAction((parse, cancellationToken) => RecordingCommands.RunAsync(
            "list",
            new RecordingArguments { Config = parse.GetValue(listConfig), As = parse.GetValue(listAs), ReadPassword = ReadPassword(parse) },
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));

        Option<string> searchConfig = ConfigOption(ConfigOfTheStore);
        var number = new Option<string>("--number") { Description = "The prospect's number, as people write it (06 12 34 56 78, +33 6 ...).", HelpName = "N" };
        var campaign = new Option<string>("--campaign") { Description = "The campaign's id.", HelpName = "C" };
        AgentPeriod period = AgentPeriod.Create(null);
        Option<string> searchAs = AsOption();
        var search = new Command("search", "The recordings the user may see matching every criterion given (at least one).") { number, campaign, period.Agent, period.From, period.To, searchAs, searchConfig };
        search.SetAction((parse, cancellationToken) => RecordingCommands.RunAsync(
            "search",
            period.Read(parse, new RecordingArguments
            {
                Config = parse.GetValue(searchConfig),
                Number = parse.GetValue(number),
                Campaign = parse.GetValue(campaign),
                As = parse.GetValue(searchAs),
                ReadPassword = ReadPassword(parse),
            }),
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));

        Option<string> exportConfig = ConfigOption(ConfigOfTheStore);
        var id = new Argument<string>("ID") { Description = "The recording's id, as list and search print it." };
        var target = new Option<string>("--out") { Description = "The plain Ogg Opus file to write.", HelpName = "FILE.ogg", Required = true };
        Option<string> asUser = AsOption();
        var purposeOption = new Option<string>("--purpose") { Description = "Why: one of the campaign's declared purposes.", HelpName = "PURPOSE" };
        var reason = new Option<string>("--reason") { Description = "The reason in words (required for the purpose dispute).", HelpName = "TEXT" };
        var request = new Option<string>("--request") { Description = "The data-subject request this export answers (a dpo exports only within one).", HelpName = "ID" };
        var export = new Command(
            "export",
            "Decrypt a recording into a plain Ogg Opus file: a download, decided by the user's roles and the campaign (dpo only by default), audited with its purpose.")
        {
            id, target, asUser, purposeOption, reason, request, exportConfig,
        };
        export.SetAction((parse, cancellationToken) => RecordingCommands.RunAsync(
            "export",
            new RecordingArguments
            {
                Config = parse.GetValue(exportConfig),
                Id = parse.GetRequiredValue(id),
                Out = parse.GetRequiredValue(target),
                As = parse.GetValue(asUser),
                Purpose = parse.GetValue(purposeOption),
                Reason = parse.GetValue(reason),
                Request = parse.GetValue(request),
                ReadPassword = ReadPassword(parse),
            },
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));

        Option<string> repairConfig = ConfigOption(ConfigOfTheStore);
        var repair = new Command(
            "repair",
            "Re-seal the recordings stored incomplete after a write failure (a full disk) into playable files; they stay marked incomplete.")
        {
            repairConfig,
        };
        repair.SetAction((parse, cancellationToken) =>
            RecordingCommands.RunAsync("repair", new RecordingArguments { Config = parse.GetValue(repairConfig) }, CommandLine.Load, Out(parse), Error(parse), cancellationToken));

        Option<string> eraseConfig = ConfigOption(ConfigOfTheStore);
        var eraseId = new Argument<string>("ID") { Description = "The recording's id, as list and search print it." };
        Option<string> eraseAs = AsOption();
        var eraseReason = new Option<string>("--reason") { Description = "Why it is erased (audit log and receipt).", HelpName = "TEXT", Required = true };
        var eraseRequest = new Option<string>("--request") { Description = "The data-subject request the erasure answers.", HelpName = "ID" };
        var erase = new Command(
            "erase",
            "Erase a recording (key destroyed, file deleted, tombstone, signed receipt) as the retention sidecar does; a legal hold refuses it. Needs the right to handle data-subject requests.")
        {
            eraseId, eraseAs, eraseReason, eraseRequest, eraseConfig,
        };
        erase.SetAction((parse, cancellationToken) => RecordingEraseCommand.RunAsync(
            new RecordingArguments
            {
                Config = parse.GetValue(eraseConfig),
                Id = parse.GetRequiredValue(eraseId),
                As = parse.GetValue(eraseAs),
                Reason = parse.GetValue(eraseReason),
                Request = parse.GetValue(eraseRequest),
                ReadPassword = ReadPassword(parse),
            },
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));

        Command extract = Extract();
        var command = new Command(
            "recordings",
            $"List, search, export, extract, repair and erase the recordings. Every use is in the audit log, under the CallSwitch user's name (--as, or the OS user's namesake), purpose \"{RecordingCommands.Purpose}\".")
        {
            list,
            search,
            export,
            repair,
            erase,
            extract,
        };
        NeedsACommand(command);
        return command;
    }

    private static Command Extract()
    {
        Option<string> config = ConfigOption(ConfigOfTheStore);
        var id = new Argument<string>("ID") { Description = "The recording's id (or --sample).", Arity = ArgumentArity.ZeroOrOne };
        var sample = new Option<bool>("--sample") { Description = "Extract the sample the campaign's rule picks of --agent's recordings from --from to --to." };
        AgentPeriod period = AgentPeriod.Create("With --sample");
        Option<string> asUser = AsOption();
        var purpose = new Option<string>("--purpose") { Description = "Why: one of the campaign's declared purposes (training).", HelpName = "PURPOSE" };
        var reason = new Option<string>("--reason") { Description = "The reason in words.", HelpName = "TEXT" };
        var command = new Command(
            "extract",
            "Make anonymised training extracts: the agent's channel only, no number, no call id, encrypted in the vault with the campaign's short extract retention; audited.")
        {
            id, sample, period.Agent, period.From, period.To, asUser, purpose, reason, config,
        };
        command.SetAction((parse, cancellationToken) => RecordingCommands.RunAsync(
            "extract",
            period.Read(parse, new RecordingArguments
            {
                Config = parse.GetValue(config),
                Id = parse.GetValue(id),
                Sample = parse.GetValue(sample),
                As = parse.GetValue(asUser),
                Purpose = parse.GetValue(purpose),
                Reason = parse.GetValue(reason),
                ReadPassword = ReadPassword(parse),
            }),
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));
        return command;
    }

    private static Command Register()
    {
        Option<string> config = ConfigOption("The configuration file whose campaigns are described (the embedded defaults without it).");
        var json = new Option<bool>("--json") { Description = "Write JSON instead of Markdown." };
        var outFile = new Option<string>("--out") { Description = "The file to write (standard output without it).", HelpName = "FILE" };
        var command = new Command("register", "Write the GDPR Art. 30 record of processing for call recording, from the configuration.") { json, outFile, config };
        command.SetAction((parse, cancellationToken) => RegisterCommands.RunAsync(
            parse.GetValue(config), parse.GetValue(json), parse.GetValue(outFile), CommandLine.Load, Out(parse), Error(parse), cancellationToken));
        return command;
    }

    private static Command Kpi()
    {
        Option<string> config = ConfigOption(ConfigOfTheStore);
        var campaign = new Option<string>("--campaign") { Description = "One campaign (all without it).", HelpName = "C" };
        var from = new Option<string>("--from") { Description = "From: 2026-03-01 or 2026-03-01T14:00:00Z (UTC); the first of this month without it.", HelpName = "DATE" };
        var to = new Option<string>("--to") { Description = "Until; a bare date includes that whole day; now without it.", HelpName = "DATE" };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        Option<string> asUser = AsOption();
        var command = new Command(
            "kpi",
            "The compliance indicators: calls, share recorded, share informed, pauses, oppositions, purges and bytes freed, listens per role.")
        {
            campaign, from, to, json, asUser, config,
        };
        command.SetAction((parse, cancellationToken) => KpiCommands.RunAsync(
            parse.GetValue(config),
            parse.GetValue(campaign),
            parse.GetValue(from),
            parse.GetValue(to),
            parse.GetValue(json),
            parse.GetValue(asUser),
            ReadPassword(parse),
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));
        return command;
    }

    private static Command Audit()
    {
        const string ConfigOfTheAudit = "The switch's configuration file, whose paths.data holds the audit log (the embedded defaults without it).";
        Command Make(string name, string description, Func<ParseResult, AuditArguments, AuditArguments> more, params Option[] options)
        {
            Option<string> config = ConfigOption(ConfigOfTheAudit);
            Option<string> asUser = AsOption();
            var command = new Command(name, description) { asUser, config };
            foreach (Option option in options)
            {
                command.Options.Add(option);
            }

            command.SetAction((parse, cancellationToken) => AuditCommands.RunAsync(
                name,
                more(parse, new AuditArguments
                {
                    Config = parse.GetValue(config),
                    As = parse.GetValue(asUser),
                    ReadPassword = ReadPassword(parse),
                }),
                CommandLine.Load,
                Out(parse),
                Error(parse),
                cancellationToken));
            return command;
        }

        var anchor = new Option<string[]>("--anchor") { Description = "An anchor the log must still reach, as audit anchor printed it (repeatable).", HelpName = "SEQ:HASH" };
        var anchors = new Option<string>("--anchors") { Description = "A file of anchors, one per line (audit anchor --out writes it).", HelpName = "FILE" };
        Command verify = Make(
            "verify",
            "Check the audit log's hash chain: exit 1 naming the first changed, missing, inserted or moved entry, or a tail cut short of an anchor.",
            (parse, a) => a with { Anchors = parse.GetValue(anchor) ?? [], AnchorFile = parse.GetValue(anchors) },
            anchor,
            anchors);
        var outFile = new Option<string>("--out") { Description = "Also append the anchor, with the time, to this file (keep it off this machine).", HelpName = "FILE" };
        Command head = Make("anchor", "Print the chain head (SEQ:HASH) to keep outside the store: a later verify against it sees a cut tail.", (parse, a) => a with { AnchorFile = parse.GetValue(outFile) }, outFile);
        var user = new Option<string>("--user") { Description = "Who acted (a user name, or a process such as retention).", HelpName = "NAME" };
        var recording = new Option<string>("--recording") { Description = "The recording's id.", HelpName = "ID" };
        var action = new Option<string>("--action") { Description = "What was done: play, export, search, erase, access-denied, login-failed...", HelpName = "ACTION" };
        var from = new Option<string>("--from") { Description = "At or after: 2026-03-01 or 2026-03-01T14:00:00Z (UTC).", HelpName = "DATE" };
        var to = new Option<string>("--to") { Description = "Before; a bare date includes that whole day.", HelpName = "DATE" };
        var limit = new Option<int>("--limit") { Description = "At most this many entries, oldest first.", HelpName = "N", DefaultValueFactory = _ => 1000 };
        Command search = Make(
            "search",
            "The audit entries matching every criterion given.",
            (parse, a) => a with
            {
                User = parse.GetValue(user),
                Recording = parse.GetValue(recording),
                Action = parse.GetValue(action),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Limit = parse.GetValue(limit),
            },
            user,
            recording,
            action,
            from,
            to,
            limit);

        var command = new Command("audit", "Verify, anchor and search the tamper-evident audit log.") { verify, head, search };
        NeedsACommand(command);
        return command;
    }

    private static Command Users()
    {
        const string ConfigOfTheUsers = "The switch's configuration file, whose paths.data holds the users' store (the embedded defaults without it).";
        Command Make(string name, string description, bool named, Func<ParseResult, UserArguments, UserArguments> more, params Symbol[] symbols)
        {
            Option<string> config = ConfigOption(ConfigOfTheUsers);
            Option<string> asUser = AsOption();
            var user = new Argument<string>("NAME") { Description = "The user's login name." };
            var command = new Command(name, description) { asUser, config };
            if (named)
            {
                command.Arguments.Add(user);
            }

            foreach (Symbol symbol in symbols)
            {
                if (symbol is Option option)
                {
                    command.Options.Add(option);
                }
            }

            command.SetAction((parse, cancellationToken) => UserCommands.RunAsync(
                name,
                more(parse, new UserArguments
                {
                    Config = parse.GetValue(config),
                    Name = named ? parse.GetValue(user) : null,
                    As = parse.GetValue(asUser),
                    ReadOwnPassword = () => PasswordPrompt.Read("Your password: ", Error(parse)),
                }),
                CommandLine.Load,
                () => PasswordPrompt.ReadNew(Error(parse)),
                Out(parse),
                Error(parse),
                cancellationToken));
            return command;
        }

        Option<string[]> GrantOption(string name, string description) =>
            new(name) { Description = description, HelpName = "ROLE@SCOPE", AllowMultipleArgumentsPerToken = false };

        const string Roles = "Roles: agent, supervisor, quality, manager, dpo, admin; scopes: * (the default), team:NAME, campaign:NAME.";
        var extension = new Option<string>("--extension") { Description = "The SIP extension (configuration agents:) this user takes calls on.", HelpName = "EXT" };
        Option<string[]> addRoles = GrantOption("--role", "A role to grant, e.g. quality@campaign:spring (repeatable). " + Roles);
        Command add = Make(
            "add",
            "Add a user; the password is read from standard input, or typed twice at the terminal.",
            true,
            (parse, a) => a with { Extension = parse.GetValue(extension), Grant = parse.GetValue(addRoles) ?? [] },
            extension,
            addRoles);
        Command list = Make("list", "Every user: name, extension, state, created, roles.", false, (_, a) => a);
        var undo = new Option<bool>("--undo") { Description = "Enable the user again." };
        Command disable = Make("disable", "Disable a user (users are never deleted: the audit log names them).", true, (parse, a) => a with { Undo = parse.GetValue(undo) }, undo);
        Command passwd = Make("passwd", "Change a user's password (read from standard input, or typed twice at the terminal).", true, (_, a) => a);
        Option<string[]> grant = GrantOption("--grant", "A role to grant (repeatable). " + Roles);
        Option<string[]> revoke = GrantOption("--revoke", "A role to revoke (repeatable).");
        Command role = Make(
            "role",
            "Grant or revoke a user's roles.",
            true,
            (parse, a) => a with { Grant = parse.GetValue(grant) ?? [], Revoke = parse.GetValue(revoke) ?? [] },
            grant,
            revoke);

        var command = new Command("users", "Manage CallSwitch's users and roles; every change is in the audit log under the OS user's name.")
        {
            add,
            list,
            disable,
            passwd,
            role,
        };
        NeedsACommand(command);
        return command;
    }

    private static Command Receipts()
    {
        Option<string> showConfig = ConfigOption(ConfigOfTheStore);
        var id = new Argument<string>("ID") { Description = "The erased recording's id." };
        var outDirectory = new Option<string>("--out")
        {
            Description = $"Also write ID.json (the signed bytes), ID.json{ReceiptCommands.SignatureSuffix} (DER signature) and {ReceiptCommands.PublicKeyFileName} there, for openssl.",
            HelpName = "DIR",
        };
        var show = new Command("show", "Print the signed deletion receipt of an erased recording.") { id, outDirectory, showConfig };
        show.SetAction((parse, cancellationToken) => ReceiptCommands.ShowAsync(
            parse.GetValue(showConfig), parse.GetRequiredValue(id), parse.GetValue(outDirectory), CommandLine.Load, Out(parse), Error(parse), cancellationToken));

        Option<string> verifyConfig = ConfigOption(ConfigOfTheStore + " Its receipt signing key is used unless --key is given.");
        var file = new Argument<string>("FILE") { Description = $"A receipt as show --out writes it; its signature is FILE{ReceiptCommands.SignatureSuffix}." };
        var key = new Option<string>("--key") { Description = "The public key (PEM) to verify with.", HelpName = "PEM" };
        var verify = new Command("verify", "Verify a deletion receipt's signature: exit 0 if valid, 1 if not.") { file, key, verifyConfig };
        verify.SetAction(parse => ReceiptCommands.Verify(
            parse.GetValue(verifyConfig), parse.GetRequiredValue(file), parse.GetValue(key), CommandLine.Load, Out(parse), Error(parse)));

        Option<string> keyConfig = ConfigOption(ConfigOfTheStore);
        var publicKey = new Command("public-key", "Print the public key (PEM) that deletion receipts are verified with.") { keyConfig };
        publicKey.SetAction(parse => ReceiptCommands.PrintPublicKey(parse.GetValue(keyConfig), CommandLine.Load, Out(parse), Error(parse)));

        var command = new Command("receipts", "Show and verify the signed deletion receipts of erased recordings.") { show, verify, publicKey };
        NeedsACommand(command);
        return command;
    }

    private static Command Holds()
    {
        Option<string> addConfig = ConfigOption(ConfigOfTheStore);
        var recording = new Option<string>("--recording") { Description = "Hold one recording (its id).", HelpName = "ID" };
        var call = new Option<string>("--call") { Description = "Hold every recording of a call (its id).", HelpName = "CALL" };
        var number = new Option<string>("--number") { Description = "Hold every recording of a phone number, future ones too (kept as its keyed hash).", HelpName = "N" };
        var campaign = new Option<string>("--campaign") { Description = "Hold every recording of a campaign, future ones too.", HelpName = "C" };
        var from = new Option<string>("--from") { Description = "Hold the recordings started from this date (with --to).", HelpName = "DATE" };
        var to = new Option<string>("--to") { Description = "... and before this one; a bare date includes that whole day.", HelpName = "DATE" };
        var reason = new Option<string>("--reason") { Description = "Why: the case, the request's reference.", HelpName = "TEXT", Required = true };
        var requestedBy = new Option<string>("--requested-by") { Description = "Who asked for it (a lawyer, a regulator).", HelpName = "WHO", Required = true };
        var expires = new Option<string>("--expires") { Description = "When the hold lapses by itself (until released without it).", HelpName = "DATE" };
        var add = new Command("add", "Place a legal hold on one recording, call, number, campaign or date range.")
        {
            recording, call, number, campaign, from, to, reason, requestedBy, expires, addConfig,
        };
        add.SetAction((parse, cancellationToken) => HoldCommands.AddAsync(
            new HoldArguments
            {
                Config = parse.GetValue(addConfig),
                Recording = parse.GetValue(recording),
                Call = parse.GetValue(call),
                Number = parse.GetValue(number),
                Campaign = parse.GetValue(campaign),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Reason = parse.GetRequiredValue(reason),
                RequestedBy = parse.GetRequiredValue(requestedBy),
                Expires = parse.GetValue(expires),
            },
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));

        Option<string> listConfig = ConfigOption(ConfigOfTheStore);
        var all = new Option<bool>("--all") { Description = "Released and expired holds too." };
        var list = new Command("list", "The active legal holds.") { all, listConfig };
        list.SetAction((parse, cancellationToken) =>
            HoldCommands.ListAsync(parse.GetValue(listConfig), parse.GetValue(all), CommandLine.Load, Out(parse), Error(parse), cancellationToken));

        Option<string> releaseConfig = ConfigOption(ConfigOfTheStore);
        var id = new Argument<string>("HOLD") { Description = "The hold's id, as list prints it." };
        var releaseReason = new Option<string>("--reason") { Description = "Why it is released.", HelpName = "TEXT", Required = true };
        var release = new Command("release", "Release a legal hold.") { id, releaseReason, releaseConfig };
        release.SetAction((parse, cancellationToken) => HoldCommands.ReleaseAsync(
            parse.GetValue(releaseConfig), parse.GetRequiredValue(id), parse.GetRequiredValue(releaseReason), CommandLine.Load, Out(parse), Error(parse), cancellationToken));

        var command = new Command("holds", "Place, list and release legal holds: a held recording is never purged nor erased. Audited under the OS user's name.")
        {
            add,
            list,
            release,
        };
        NeedsACommand(command);
        return command;
    }

    private static Command Retention()
    {
        Option<string> config = ConfigOption(ConfigOfTheStore);
        var status = new Command("status", "Per campaign: recordings kept, bytes, next deadline, held, purged in the last run of callswitch-retention.") { config };
        status.SetAction((parse, cancellationToken) =>
            RetentionStatusCommand.RunAsync(parse.GetValue(config), CommandLine.Load, Out(parse), Error(parse), cancellationToken));
        var command = new Command("retention", "What the retention sidecar (callswitch-retention) keeps and purges.") { status };
        NeedsACommand(command);
        return command;
    }

    private static Command SelfTest()
    {
        Option<string> config = ConfigOption("The switch's configuration file whose campaigns are tested (the embedded defaults without it). Its store, spool and keys are never touched.");
        var campaign = new Option<string>("--campaign") { Description = "Test this campaign only (its id).", HelpName = "C" };
        var command = new Command(
            "selftest",
            "Test calls through an isolated switch with each campaign's real rules (the trunk replaced by a built-in answering party): one line per check, exit 1 on any failure.")
        {
            campaign,
            config,
        };
        command.SetAction((parse, cancellationToken) => SelfTestCommand.RunAsync(
            parse.GetValue(config), parse.GetValue(campaign), CommandLine.Load, Out(parse), Error(parse), cancellationToken));
        return command;
    }

    private static Option<string> AsOption() => new("--as")
    {
        Description = "The CallSwitch user running the command; the password is read from standard input or at the terminal. Without it, the user named like the OS user.",
        HelpName = "USER",
    };

    private static Option<string> ConfigOption(string description) => new("--config") { Description = description, HelpName = "FILE" };

    private static Argument<string> FileArgument(string description) =>
        new("FILE") { Description = description, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>
    /// A command made only of subcommands, given none, shows its help and exits with 2 (as
    /// <c>callswitch</c> alone printed the usage), instead of System.CommandLine's bare "Required command was not provided".
    /// </summary>
    private static void NeedsACommand(Command command) => command.SetAction(parse =>
    {
        new HelpAction().Invoke(parse);
        Error(parse).WriteLine(
            $"{PathOf(command)} needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}");
        return 2;
    });

    /// <summary>
    /// The subcommand or option of <paramref name="command"/> that <paramref name="typed"/> was
    /// most likely meant to be: at most two edits away (a swap of two letters is one) and fewer
    /// than half its letters; null when none is.
    /// </summary>
    private static string? Closest(string typed, Command command)
    {
        IEnumerable<string> names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
            .Concat(command.Options.Where(o => !o.Hidden).Select(o => o.Name));
        return names
            .Select(name => (Name: name, Distance: EditDistance(typed, name)))
            .Where(c => c.Distance <= 2 && c.Distance * 2 < typed.Length)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Edits (insertion, deletion, substitution, swap of neighbours) from <paramref name="a"/> to <paramref name="b"/>.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static TextWriter Out(ParseResult parse) => parse.InvocationConfiguration.Output;

    private static TextWriter Error(ParseResult parse) => parse.InvocationConfiguration.Error;

    /// <summary>Asks the acting user's password on the terminal, when a command needs it.</summary>
    private static Func<string?> ReadPassword(ParseResult parse) => () => PasswordPrompt.Read("Password: ", Error(parse));
}
