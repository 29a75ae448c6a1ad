using System.Globalization;
using System.Text;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// The do-not-call list by hand and by file: add, remove, list, import and export as CSV (call
/// centres receive such lists from their clients). Decided by the authorisation service (the right
/// to handle requests) and audited, never with a number in clear in the audit log.
/// </summary>
/// <remarks>CSV: one number per line, optionally followed by a campaign (<c>number,campaign</c>; empty for every campaign); a first line starting with <c>number</c> is a header.</remarks>
public sealed class DoNotCallService
{
    private const string Purpose = "do-not-call list";

    private readonly IDoNotCallStore _store;
    private readonly IAuditLog _audit;
    private readonly PhoneNumberNormalizer _normalizer;
    private readonly AccessGuard _guard;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public DoNotCallService(IDoNotCallStore store, IAuditLog audit, PhoneNumberNormalizer normalizer, AccessGuard guard, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _audit = audit;
        _normalizer = normalizer;
        _guard = guard;
        _time = time;
    }

    /// <summary>Lists one number (every campaign when <paramref name="campaignId"/> is null); false if it was listed already.</summary>
    /// <exception cref="RequestException">Not a phone number.</exception>
    public async Task<bool> AddAsync(Principal? who, string number, string? campaignId, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        string e164 = Normalize(number);
        DateTimeOffset now = _time.GetUtcNow();
        int added = await _store.AddDoNotCallAsync(
            [new DoNotCallEntry(e164, campaignId, now, who!.Name, "added by hand")],
            new AuditEvent(now, who.Name, AuditAction.DoNotCallChanged, null, Purpose, $"add number={PhoneNumberMask.Mask(e164)} scope={campaignId ?? "all"}"),
            cancellationToken).ConfigureAwait(false);
        return added == 1;
    }

    /// <summary>Takes a number off the list; false if it was not listed (for that scope).</summary>
    /// <exception cref="RequestException">Not a phone number.</exception>
    public async Task<bool> RemoveAsync(Principal? who, string number, string? campaignId, string reason, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RequestException("taking a number off the do-not-call list needs a reason");
        }

        string e164 = Normalize(number);
        return await _store.RemoveDoNotCallAsync(
            e164,
            campaignId,
            new AuditEvent(_time.GetUtcNow(), who!.Name, AuditAction.DoNotCallChanged, null, Purpose, $"remove number={PhoneNumberMask.Mask(e164)} scope={campaignId ?? "all"} reason={reason}"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole list.</summary>
    public async Task<IReadOnlyList<DoNotCallEntry>> ListAsync(Principal? who, CancellationToken cancellationToken = default)
    {
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        return await _store.ListDoNotCallAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Imports a CSV: every line is read first; one line that is not a number refuses the whole
    /// file (nothing listed), naming the lines. Returns how many numbers were new and how many lines were read.
    /// </summary>
    /// <exception cref="RequestException">A line is not a number, or the file is empty.</exception>
    public async Task<(int Added, int Read)> ImportAsync(Principal? who, TextReader csv, string source, string? campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        await DemandAsync(who, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        var entries = new List<DoNotCallEntry>();
        var errors = new List<string>();
        int lineNumber = 0;
        while (await csv.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            string[] fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields[0].Length == 0 || (lineNumber == 1 && fields[0].StartsWith("number", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            string? campaign = fields.Length > 1 && fields[1].Length > 0 ? fields[1] : campaignId;
            if (_normalizer.TryNormalize(fields[0].Trim('"'), out string? e164, out string? reason))
            {
                entries.Add(new DoNotCallEntry(e164, campaign, now, who!.Name, source));
            }
            else
            {
                errors.Add($"line {lineNumber}: {reason}");
            }
        }

        if (errors.Count > 0)
        {
            throw new RequestException($"{errors.Count} line(s) are not phone numbers, nothing imported: {string.Join("; ", errors.Take(5))}{(errors.Count > 5 ? "; …" : string.Empty)}");
        }

        if (entries.Count == 0)
        {
            throw new RequestException("no number in the file: nothing imported");
        }

        int added = await _store.AddDoNotCallAsync(
            entries,
            new AuditEvent(now, who!.Name, AuditAction.DoNotCallChanged, null, Purpose, $"import source={source}"),
            cancellationToken).ConfigureAwait(false);
        return (added, entries.Count);
    }

    /// <summary>Writes the list as CSV (<c>number,campaign,added_at,added_by,source</c>); returns how many numbers.</summary>
    public async Task<int> ExportAsync(Principal? who, TextWriter csv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        IReadOnlyList<DoNotCallEntry> entries = await ListAsync(who, cancellationToken).ConfigureAwait(false);
        await csv.WriteLineAsync("number,campaign,added_at,added_by,source".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (DoNotCallEntry entry in entries)
        {
            var line = new StringBuilder();
            line.Append(entry.Number).Append(',')
                .Append(Field(entry.CampaignId)).Append(',')
                .Append(entry.AddedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(entry.AddedBy)).Append(',')
                .Append(Field(entry.Source));
            await csv.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        }

        await _audit.AppendAuditAsync(
            new AuditEvent(_time.GetUtcNow(), who!.Name, AuditAction.DoNotCallChanged, null, Purpose, $"export numbers={entries.Count}"),
            cancellationToken).ConfigureAwait(false);
        return entries.Count;
    }

    private string Normalize(string number) =>
        _normalizer.TryNormalize(number, out string? e164, out string? reason)
            ? e164
            : throw new RequestException($"not a phone number: {number} ({reason})");

    private static string Field(string? value) =>
        value is null ? string.Empty
        : value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;

    private async Task DemandAsync(Principal? who, CancellationToken cancellationToken) =>
        await _guard.DemandAsync(who, AccessAction.Requests, AccessResource.System, null, cancellationToken).ConfigureAwait(false);
}
