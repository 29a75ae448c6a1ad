using System.Globalization;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch audit verify|anchor|search</c>: the audit log of the metadata store in
/// <c>switch.paths.data</c>. verify walks the hash chain and exits with 1 naming the first bad
/// entry; anchor prints the chain head (and appends it to a file) to keep outside the store.
/// </summary>
internal static class AuditCommands
{
    /// <summary>Runs <c>audit <paramref name="command"/></c> on the values System.CommandLine parsed.</summary>
    public static async Task<int> RunAsync(
        string command,
        AuditArguments arguments,
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

        // Bad input is refused before anything is read or audited.
        List<AuditAnchor>? anchors = command == "verify" ? ReadAnchors(arguments, error) : [];
        AuditQuery? query = command == "search" ? Query(arguments, error) : new AuditQuery();
        if (anchors is null || query is null)
        {
            return 2;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        AccessAction right = command == "search" ? AccessAction.AuditRead : AccessAction.AuditVerify;
        if (await CliAccess.DemandAsync(store, config, arguments.As, arguments.ReadPassword, right, AccessResource.System, $"audit {command}", error, cancellationToken)
            .ConfigureAwait(false) is null)
        {
            return 1;
        }

        switch (command)
        {
            case "verify":
                return Report(await store.VerifyAuditAsync(anchors, cancellationToken).ConfigureAwait(false), anchors.Count, output, error);
            case "anchor":
                if (await store.AuditHeadAsync(cancellationToken).ConfigureAwait(false) is not { } head)
                {
                    error.WriteLine("the audit log has no chained entry yet");
                    return 1;
                }

                output.WriteLine(head.ToString());
                if (arguments.AnchorFile is { } file)
                {
                    string line = $"{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {head}{Environment.NewLine}";
                    await File.AppendAllTextAsync(file, line, cancellationToken).ConfigureAwait(false);
                }

                return 0;
            default:
                IReadOnlyList<AuditEntry> entries = await store.SearchAuditAsync(query, cancellationToken).ConfigureAwait(false);
                foreach (AuditEntry entry in entries)
                {
                    output.WriteLine(Line(entry));
                }

                output.WriteLine($"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}");
                return 0;
        }
    }

    /// <summary>One line of <c>audit search</c>: sequence, instant, actor, action, recording, purpose, detail.</summary>
    public static string Line(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AuditEvent e = entry.Event;
        return string.Join(
            "  ",
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            e.Actor,
            EnumWords.Of(e.Action),
            e.RecordingId?.ToString("N") ?? "-",
            e.Purpose,
            e.Detail ?? "-");
    }

    private static int Report(AuditVerification result, int anchors, TextWriter output, TextWriter error)
    {
        string unchained = result.UnchainedEntries > 0 ? $", {result.UnchainedEntries} written before the chain" : string.Empty;
        if (result.Intact)
        {
            output.WriteLine($"audit log intact: {result.Entries} entries{unchained}, {anchors} anchor(s) reached, head {result.Head?.ToString() ?? "(none)"}");
            return 0;
        }

        error.WriteLine($"audit log BROKEN at entry {result.FirstBadSequence}: {result.Problem}");
        return 1;
    }

    private static List<AuditAnchor>? ReadAnchors(AuditArguments arguments, TextWriter error)
    {
        var texts = new List<(string Where, string Text)>(arguments.Anchors.Select(a => ("--anchor", a)));
        if (arguments.AnchorFile is { } file)
        {
            if (!File.Exists(file))
            {
                error.WriteLine($"--anchors: no file {file}");
                return null;
            }

            int number = 0;
            foreach (string line in File.ReadLines(file))
            {
                number++;
                string trimmed = line.Trim();
                if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
                {
                    texts.Add(($"{file}:{number}", trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]));
                }
            }
        }

        var anchors = new List<AuditAnchor>();
        foreach ((string where, string text) in texts)
        {
            if (!AuditAnchor.TryParse(text, out AuditAnchor? anchor))
            {
                error.WriteLine($"{where}: not an anchor: {text} (SEQUENCE:SHA256, as audit anchor prints it)");
                return null;
            }

            anchors.Add(anchor);
        }

        return anchors;
    }

    private static AuditQuery? Query(AuditArguments arguments, TextWriter error)
    {
        Guid? recording = null;
        if (arguments.Recording is { } text)
        {
            if (!Guid.TryParse(text, out Guid id))
            {
                error.WriteLine($"--recording: not a recording id: {text}");
                return null;
            }

            recording = id;
        }

        AuditAction? action = null;
        if (arguments.Action is { } word)
        {
            action = EnumWords.Parse<AuditAction>(word);
            if (action is null)
            {
                error.WriteLine($"--action: not an audit action: {word} ({string.Join(", ", Enum.GetValues<AuditAction>().Select(a => EnumWords.Of(a)))})");
                return null;
            }
        }

        if (arguments.Limit is < 1 or > AuditQuery.MaxLimit)
        {
            error.WriteLine($"--limit: between 1 and {AuditQuery.MaxLimit}");
            return null;
        }

        if (!CliDates.TryRange(arguments.From, arguments.To, error, out DateTimeOffset? from, out DateTimeOffset? before))
        {
            return null;
        }

        return new AuditQuery { Actor = arguments.User, RecordingId = recording, Action = action, From = from, Before = before, Limit = arguments.Limit };
    }
}
