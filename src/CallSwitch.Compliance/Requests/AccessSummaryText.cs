using System.Globalization;
using System.Text;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>The human-readable summary of an access bundle (<c>summary.txt</c>): the same facts as <c>summary.json</c>, in sentences.</summary>
internal static class AccessSummaryText
{
    public static string Write(
        SubjectRequest request,
        string e164,
        DateTimeOffset now,
        NumberRecords records,
        IReadOnlyDictionary<Guid, IReadOnlyList<AuditEntry>> listens,
        IReadOnlyDictionary<Guid, string> files)
    {
        var text = new StringBuilder();
        Line(text, $"Data held about {e164}: answer to request {request.Code} (received {Iso(request.ReceivedAt)}, answered {Iso(now)}).");
        Line(text, "Agents are named by their internal id only.");
        Line(text, string.Empty);
        Line(text, $"Calls ({records.Calls.Count}):");
        foreach (CallRecord call in records.Calls)
        {
            Line(
                text,
                $"- {Iso(call.StartedAt)} {EnumWords.Of(call.Direction)} call, campaign {call.CampaignId ?? "-"}, agent {call.AgentId ?? "-"}, " +
                $"{(call.AnsweredAt is null ? "not answered" : "answered " + Iso(call.AnsweredAt.Value))}, ended {(call.EndedAt is { } e ? Iso(e) : "-")}; " +
                $"notice {(call.Announcement is { } a ? "played " + Iso(a.At) : "not played")}; {(call.Recorded ? "recorded" : "not recorded")}.");
        }

        Line(text, string.Empty);
        Line(text, $"Recordings held ({records.Live.Count()}):");
        foreach (RecordingMetadata r in records.Live)
        {
            Line(
                text,
                $"- {Iso(r.StartedAt)}, campaign {r.CampaignId}, agent {r.AgentId}, {(r.Duration is { } d ? d.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s" : "length unknown")}; " +
                $"purposes: {string.Join(", ", r.Purposes)}; legal basis: {EnumWords.Of(r.LegalBasis)}; kept until {Iso(r.RetentionUntil)}; " +
                $"{r.Pauses.Count} pause(s){(files.TryGetValue(r.Id, out string? file) ? "; audio: " + file : string.Empty)}.");
            Heard(text, listens[r.Id]);
        }

        Line(text, string.Empty);
        Line(text, $"Recordings already erased ({records.Erased.Count()}):");
        foreach (RecordingMetadata r in records.Erased)
        {
            Line(
                text,
                $"- recorded {Iso(r.StartedAt)}, campaign {r.CampaignId}; erased {Iso(r.Erasure!.At)} ({r.Erasure.Reason})" +
                $"{(files.TryGetValue(r.Id, out string? receipt) ? "; signed receipt: " + receipt : string.Empty)}.");
            Heard(text, listens[r.Id]);
        }

        return text.ToString();
    }

    private static void Heard(StringBuilder text, IReadOnlyList<AuditEntry> entries)
    {
        foreach (AuditEntry entry in entries)
        {
            Line(text, $"    {EnumWords.Of(entry.Event.Action)} by {entry.Event.Actor} at {Iso(entry.Event.At)}, purpose: {entry.Event.Purpose}");
        }
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Iso(DateTimeOffset instant) => SubjectRequestService.Iso(instant);
}
