using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Compliance.Access;
using CallSwitch.Configuration;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch recordings list|search|export</c>: the operator's view of the metadata store in
/// <c>switch.paths.data</c>, as a CallSwitch user (<c>--as</c>, or the OS user's namesake). Every
/// read goes through <see cref="RecordingAccess"/>, so it is in the audit log under that user's
/// name; list and search show only the recordings the authorisation service lets the user see.
/// </summary>
internal static class RecordingCommands
{
    /// <summary>The purpose written in the audit log for every access from the command line.</summary>
    public const string Purpose = "cli";

    /// <summary>
    /// Runs <c>recordings <paramref name="command"/></c> (list, search or export) on the values
    /// System.CommandLine parsed (see <see cref="CliCommands"/>).
    /// </summary>
    public static async Task<int> RunAsync(
        string command,
        RecordingArguments arguments,
        Func<string?, ConfigLoadResult> load,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (StoreCommand.LoadWithStore(load, arguments.Config, error, out int exitCode) is not { } config)
        {
            return exitCode;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        switch (command)
        {
            case "list":
                return await ListAsync(store, config, arguments, new RecordingQuery(), output, error, cancellationToken).ConfigureAwait(false);
            case "search":
                RecordingQuery? query = Query(arguments, config, error);
                return query is null ? 2 : await ListAsync(store, config, arguments, query, output, error, cancellationToken).ConfigureAwait(false);
            case "repair":
                return await RepairAsync(store, config, output, error, cancellationToken).ConfigureAwait(false);
            case "extract":
                return await ExtractCommand.RunAsync(store, config, arguments, output, error, cancellationToken).ConfigureAwait(false);
            default:
                return await ExportAsync(store, config, arguments, output, error, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One line of a listing: id, start, duration, campaign, agent, number, status.</summary>
    public static string Line(RecordingMetadata recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        string duration = recording.Duration is { } d ? d.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "-";
        string status = recording.IsErased ? "erased" : StatusWord(recording.Status);
        return string.Join(
            "  ",
            recording.Id.ToString("N"),
            recording.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            duration,
            recording.CampaignId,
            recording.AgentId,
            recording.ProspectNumber ?? "-",
            status);
    }

    private static RecordingQuery? Query(RecordingArguments arguments, SwitchConfig config, TextWriter error)
    {
        if (arguments is { Number: null, Campaign: null, Agent: null, From: null, To: null })
        {
            error.WriteLine("recordings search needs --number, --campaign, --agent or --from/--to");
            return null;
        }

        var query = new RecordingQuery
        {
            CampaignId = arguments.Campaign,
            AgentId = arguments.Agent,
        };
        if (arguments.Number is { } number)
        {
            if (!new PhoneNumberNormalizer(config.Country).TryNormalize(number, out string? e164, out string? reason))
            {
                error.WriteLine($"not a phone number: {number} ({reason})");
                return null;
            }

            query = query with { ProspectNumber = e164 };
        }

        if (!CliDates.TryRange(arguments.From, arguments.To, error, out DateTimeOffset? from, out DateTimeOffset? before))
        {
            return null;
        }

        return query with { StartedFrom = from, StartedBefore = before };
    }

    /// <summary>A status as users read it: <c>in-progress</c>, <c>complete</c>, <c>incomplete</c> (the enum's name, words joined by '-').</summary>
    private static string StatusWord(Enum status) => EnumWords.Of(status);

    /// <summary>
    /// Lists the recordings the signed-in user may see: a user none of whose roles may search
    /// recordings is refused (and audited); otherwise each row is shown only if the authorisation
    /// service lets this user search it (their scope; an agent's own calls).
    /// </summary>
    private static async Task<int> ListAsync(
        SqliteMetadataStore store,
        SwitchConfig config,
        RecordingArguments arguments,
        RecordingQuery query,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (await CliAccess.SignInAsync(store, arguments.As, arguments.ReadPassword, "recordings", error, cancellationToken).ConfigureAwait(false) is not { } principal)
        {
            return 1;
        }

        AccessGuard guard = CliAccess.Guard(config, store);
        if (!principal.Grants.Any(g => Authorizer.RoleMay(g.Role, AccessAction.SearchRecordings)))
        {
            AccessDecision refused = await guard.CheckAsync(principal, AccessAction.SearchRecordings, AccessResource.System, null, cancellationToken).ConfigureAwait(false);
            error.WriteLine($"recordings refused to {principal.Name}: {refused.Reason}");
            return 1;
        }

        var access = new RecordingAccess(store, store, TimeProvider.System);
        RecordingQuery? page = query with { PageSize = RecordingQuery.MaxPageSize };
        long count = 0;
        while (page is not null)
        {
            RecordingPage result = await access.SearchAsync(page, principal.Name, Purpose, cancellationToken).ConfigureAwait(false);
            foreach (RecordingMetadata recording in result.Items)
            {
                var resource = new AccessResource
                {
                    CampaignId = recording.CampaignId,
                    AgentExtension = recording.AgentId,
                    Team = config.FindAgent(recording.AgentId)?.Team,
                    RecordingId = recording.Id,
                };
                if (guard.Authorizer.Decide(principal, AccessAction.SearchRecordings, resource).Allowed)
                {
                    output.WriteLine(Line(recording));
                    count++;
                }
            }

            page = result.NextQuery(page);
        }

        output.WriteLine($"{count} recording(s)");
        return 0;
    }

    private static async Task<int> RepairAsync(SqliteMetadataStore store, SwitchConfig config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
        {
            error.WriteLine($"no master key: {where}");
            return 1;
        }

        using RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None);
        var lines = new Serilog.Formatting.Display.MessageTemplateTextFormatter("{Level:u3} {Message:lj}{NewLine}", CultureInfo.InvariantCulture);
        using Serilog.Core.Logger log = new Serilog.LoggerConfiguration().WriteTo.Sink(new CommandOutputSink(lines, output)).CreateLogger();
        (int incomplete, int resealed) = await vault.ResealIncompleteAsync(store, new RepairAudit(store, Environment.UserName, TimeProvider.System), log, cancellationToken)
            .ConfigureAwait(false);
        output.WriteLine($"{resealed} of {incomplete} incomplete recording(s) re-sealed");
        return 0;
    }

    private static async Task<int> ExportAsync(
        SqliteMetadataStore store,
        SwitchConfig config,
        RecordingArguments arguments,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        string idText = arguments.Id!;
        string target = arguments.Out!;
        if (!Guid.TryParse(idText, out Guid id))
        {
            error.WriteLine($"not a recording id: {idText}");
            return 2;
        }

        if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
        {
            // Never create a key here: a new key would read nothing.
            error.WriteLine($"no master key: {where}");
            return 1;
        }

        if (await CliAccess.SignInAsync(store, arguments.As, arguments.ReadPassword, "export", error, cancellationToken).ConfigureAwait(false) is not { } principal)
        {
            return 1;
        }

        var access = new RecordingAccess(store, store, TimeProvider.System, CliAccess.Guard(config, store), extension => config.FindAgent(extension)?.Team);
        AccessPurpose? purpose = arguments.Purpose is { } stated ? new AccessPurpose(stated, arguments.Reason) : null;
        RecordingMetadata? recording;
        try
        {
            recording = await access.OpenForListeningAsync(
                principal, id, AccessAction.Download, purpose, arguments.Request, "to " + Path.GetFullPath(target), cancellationToken).ConfigureAwait(false);
        }
        catch (AccessDeniedException denied)
        {
            error.WriteLine($"export refused to {principal.Name}: {denied.Message}");
            return 1;
        }

        if (recording is null)
        {
            error.WriteLine($"no recording {idText}");
            return 1;
        }

        if (!recording.IsPlayable || recording.FilePath is not { } source)
        {
            error.WriteLine($"recording {idText} is erased: nothing to export");
            return 1;
        }

        try
        {
            using RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None);
            await using (var reader = vault.OpenRecording(source))
            await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write))
            {
                // The plain copy says in its tags who made it, when and why (the audit log says the same).
                KeyValuePair<string, string>[] watermark =
                [
                    new("EXPORTED_BY", principal.Name),
                    new("EXPORTED_AT", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                    new("EXPORT_PURPOSE", RecordingAccess.Why(purpose, arguments.Request)),
                ];
                await OggTagWatermark.CopyWithCommentsAsync(reader, file, watermark, cancellationToken).ConfigureAwait(false);
            }

            output.WriteLine($"recording {recording.Id:N} exported to {target} ({new FileInfo(target).Length} bytes, Ogg Opus, watermarked)");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or FormatException or KeyNotFoundException
            or InvalidOperationException or RecordingIntegrityException or InvalidDataException)
        {
            TryDelete(target);
            error.WriteLine($"recording {idText} cannot be exported: {e.Message}");
            return 1;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error above is what the operator needs.
        }
    }
}
