using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch do-not-call list|add|remove|import|export</c>: the list the switch refuses
/// outbound calls to (603) and never records inbound calls from, through <see cref="DoNotCallService"/>.
/// </summary>
internal static class DoNotCallCommands
{
    /// <summary>Runs <c>do-not-call <paramref name="command"/></c>.</summary>
    public static async Task<int> RunAsync(
        string command,
        RequestArguments arguments,
        Func<string?, ConfigLoadResult> load,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (command == "import" && !File.Exists(arguments.File))
        {
            error.WriteLine($"no such file: {arguments.File}");
            return 2;
        }

        return await RequestSession.RunAsync(arguments, "do-not-call " + command, load, error, async session =>
        {
            var service = new DoNotCallService(session.Store, session.Store, new PhoneNumberNormalizer(session.Config.Country), session.Guard, TimeProvider.System);
            Principal? who = session.Who;
            switch (command)
            {
                case "add":
                    bool added = await service.AddAsync(who, arguments.Number!, arguments.Campaign, cancellationToken).ConfigureAwait(false);
                    output.WriteLine(added ? $"listed {PhoneNumberMask.Mask(session.Service.Normalize(arguments.Number!))} for {Scope(arguments.Campaign)}" : "already listed: nothing changed");
                    return 0;
                case "remove":
                    if (!await service.RemoveAsync(who, arguments.Number!, arguments.Campaign, arguments.Reason ?? string.Empty, cancellationToken).ConfigureAwait(false))
                    {
                        error.WriteLine($"do-not-call remove: not listed for {Scope(arguments.Campaign)}: nothing changed");
                        return 1;
                    }

                    output.WriteLine($"removed from {Scope(arguments.Campaign)}");
                    return 0;
                case "import":
                    using (var reader = new StreamReader(arguments.File!))
                    {
                        var (count, read) = await service.ImportAsync(who, reader, "import " + Path.GetFileName(arguments.File!), arguments.Campaign, cancellationToken)
                            .ConfigureAwait(false);
                        output.WriteLine($"{read} number(s) read, {count} new on the list");
                    }

                    return 0;
                case "export":
                    int exported;
                    if (arguments.Out is { } target)
                    {
                        await using var writer = new StreamWriter(target);
                        exported = await service.ExportAsync(who, writer, cancellationToken).ConfigureAwait(false);
                        error.WriteLine($"{exported} number(s) written to {target}");
                    }
                    else
                    {
                        exported = await service.ExportAsync(who, output, cancellationToken).ConfigureAwait(false);
                    }

                    return 0;
                default:
                    IReadOnlyList<DoNotCallEntry> entries = await service.ListAsync(who, cancellationToken).ConfigureAwait(false);
                    foreach (DoNotCallEntry entry in entries)
                    {
                        // Masked: the list is read on screens; export gives the numbers for the client.
                        output.WriteLine($"{PhoneNumberMask.Mask(entry.Number)}  {Scope(entry.CampaignId)}  {SubjectRequestService.Iso(entry.AddedAt)}  {entry.AddedBy}  {entry.Source}");
                    }

                    output.WriteLine($"{entries.Count} number(s)");
                    return 0;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string Scope(string? campaign) => campaign is null ? "every campaign" : "campaign " + campaign;
}
