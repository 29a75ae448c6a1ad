using System.CommandLine;

namespace CallSwitch.Server.Cli;

/// <summary>The <c>requests</c> and <c>do-not-call</c> commands of the tree (<see cref="RequestCommands"/>, <see cref="DoNotCallCommands"/>).</summary>
internal static partial class CliCommands
{
    private const string ActingUser = " Acts as the CallSwitch user named like the OS user (or --as), who must hold the dpo role; audited under that name.";

    private static Command Requests()
    {
        var type = new Option<string>("--type") { Description = "access, erasure, restriction or objection.", HelpName = "KIND", Required = true };
        var number = new Option<string>("--number") { Description = "The person's number, as they wrote it (06 12 34 56 78, +33 6 ...).", HelpName = "N", Required = true };
        var reference = new Option<string>("--reference") { Description = "Your reference (the letter, the ticket).", HelpName = "TEXT" };
        var received = new Option<string>("--received") { Description = "When it was received: 2026-12-01 (today without it); due 30 days later.", HelpName = "DATE" };
        var campaign = new Option<string>("--campaign") { Description = "An objection to one campaign only (every campaign without it).", HelpName = "C" };
        Command open = RequestCommand("open", "Enter a data-subject request; prints its id (DSR-n) and due date.", false, (p, a) => a with
        {
            Type = p.GetValue(type),
            Number = p.GetValue(number),
            Reference = p.GetValue(reference),
            Received = p.GetValue(received),
            Campaign = p.GetValue(campaign),
        }, type, number, reference, received, campaign);

        var overdue = new Option<bool>("--overdue") { Description = "Only the open requests past their due date." };
        var status = new Option<string>("--status") { Description = "Only open, done or rejected requests.", HelpName = "STATUS" };
        Command list = RequestCommand("list", "The requests, oldest due first (numbers masked).", false, (p, a) => a with { Overdue = p.GetValue(overdue), Status = p.GetValue(status) }, overdue, status);

        Command show = RequestCommand("show", "A request and every step done for it, from the audit log.", true, (_, a) => a);

        var reason = new Option<string>("--reason") { Description = "Why (written in the request and the audit log).", HelpName = "TEXT", Required = true };
        Command reject = RequestCommand("reject", "Refuse an open request, with the reason.", true, (p, a) => a with { Reason = p.GetValue(reason) }, reason);

        var target = new Option<string>("--out")
        {
            Description = "access: the bundle to write (FILE.zip, owner-only); erasure: a folder for the deletion receipts.",
            HelpName = "PATH",
        };
        Command fulfil = RequestCommand(
            "fulfil",
            "Answer an open request: access → the bundle; erasure → recordings erased (held ones named), number off the call rows; restriction → recordings frozen; objection → do-not-call list.",
            true,
            (p, a) => a with { Out = p.GetValue(target) },
            target);

        var liftReason = new Option<string>("--reason") { Description = "Why it is lifted.", HelpName = "TEXT", Required = true };
        Command lift = RequestCommand("lift", "Lift a restriction: the recordings may be heard and purged again.", true, (p, a) => a with { Reason = p.GetValue(liftReason) }, liftReason);

        var recordedNumber = new Option<string>("--number") { Description = "The number asked about.", HelpName = "N", Required = true };
        Command recorded = RequestCommand(
            "recorded",
            "Was this number recorded? Calls and recordings held, and when erased ones were erased (from the tombstones' keyed hash).",
            false,
            (p, a) => a with { Number = p.GetValue(recordedNumber) },
            recordedNumber);

        var command = new Command("requests", "Data-subject requests (GDPR Art. 15, 17, 18, 21), answered within 30 days." + ActingUser)
        {
            open, list, show, reject, fulfil, lift, recorded,
        };
        NeedsACommand(command);
        return command;
    }

    private static Command DoNotCall()
    {
        var campaignHelp = "One campaign (every campaign without it).";
        var addNumber = new Option<string>("--number") { Description = "The number, as written.", HelpName = "N", Required = true };
        var addCampaign = new Option<string>("--campaign") { Description = campaignHelp, HelpName = "C" };
        Command add = DoNotCallCommand("add", "List a number: agents' calls to it are refused (603 Decline), its calls are never recorded.", (p, a) => a with
        {
            Number = p.GetValue(addNumber),
            Campaign = p.GetValue(addCampaign),
        }, addNumber, addCampaign);

        var removeNumber = new Option<string>("--number") { Description = "The number, as written.", HelpName = "N", Required = true };
        var removeCampaign = new Option<string>("--campaign") { Description = campaignHelp, HelpName = "C" };
        var reason = new Option<string>("--reason") { Description = "Why it is taken off.", HelpName = "TEXT", Required = true };
        Command remove = DoNotCallCommand("remove", "Take a number off the list.", (p, a) => a with
        {
            Number = p.GetValue(removeNumber),
            Campaign = p.GetValue(removeCampaign),
            Reason = p.GetValue(reason),
        }, removeNumber, removeCampaign, reason);

        var file = new Argument<string>("FILE") { Description = "A CSV: number[,campaign] per line; a first line starting with 'number' is a header." };
        var importCampaign = new Option<string>("--campaign") { Description = "The campaign of lines that name none (every campaign without it).", HelpName = "C" };
        Command import = DoNotCallCommand("import", "Import a list (all or nothing: one bad line refuses the file).", (p, a) => a with
        {
            File = p.GetValue(file),
            Campaign = p.GetValue(importCampaign),
        }, importCampaign);
        import.Arguments.Add(file);

        var target = new Option<string>("--out") { Description = "The CSV to write (standard output without it).", HelpName = "FILE" };
        Command export = DoNotCallCommand("export", "Export the list as CSV (number,campaign,added_at,added_by,source).", (p, a) => a with { Out = p.GetValue(target) }, target);

        Command list = DoNotCallCommand("list", "The list, numbers masked.", (_, a) => a);

        var command = new Command("do-not-call", "The do-not-call list, kept in the store (objections, clients' lists)." + ActingUser)
        {
            list, add, remove, import, export,
        };
        NeedsACommand(command);
        return command;
    }

    private static Command RequestCommand(
        string name, string description, bool takesId, Func<ParseResult, RequestArguments, RequestArguments> more, params Option[] options)
    {
        var command = new Command(name, description);
        var id = new Argument<string>("ID") { Description = "The request's id: DSR-17 or 17." };
        if (takesId)
        {
            command.Arguments.Add(id);
        }

        var (config, asUser) = Common(command, options);
        command.SetAction((parse, cancellationToken) => RequestCommands.RunAsync(
            name,
            more(parse, Arguments(parse, config, asUser) with { Id = takesId ? parse.GetValue(id) : null }),
            CommandLine.Load,
            Out(parse),
            Error(parse),
            cancellationToken));
        return command;
    }

    private static Command DoNotCallCommand(string name, string description, Func<ParseResult, RequestArguments, RequestArguments> more, params Option[] options)
    {
        var command = new Command(name, description);
        var (config, asUser) = Common(command, options);
        command.SetAction((parse, cancellationToken) => DoNotCallCommands.RunAsync(
            name, more(parse, Arguments(parse, config, asUser)), CommandLine.Load, Out(parse), Error(parse), cancellationToken));
        return command;
    }

    private static (Option<string> Config, Option<string> As) Common(Command command, Option[] options)
    {
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        Option<string> config = ConfigOption(ConfigOfTheStore);
        Option<string> asUser = AsOption();
        command.Options.Add(asUser);
        command.Options.Add(config);
        return (config, asUser);
    }

    private static RequestArguments Arguments(ParseResult parse, Option<string> config, Option<string> asUser) => new()
    {
        Config = parse.GetValue(config),
        As = parse.GetValue(asUser),
        ReadPassword = ReadPassword(parse),
    };
}
