using System.Globalization;
using System.Text;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Kpi;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Admin;

/// <summary>
/// The dpo's and admin's routes: legal holds (list, place, release through the holds store, each
/// audited there), indicators per campaign and period (JSON and CSV), the running configuration's
/// campaigns and rules, and the audit log (search, verify).
/// </summary>
internal static class AdminRoutes
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/holds", async (HttpContext context, ConsoleGate gate, ConsoleServices services) =>
            await EnterAsync(context, gate, AccessAction.Holds) is { } refusal ? refusal
            : Results.Json((await services.Store.ListHoldsAsync(includeReleased: false, context.RequestAborted)).Select(h => new
            {
                id = h.Id,
                target = h.Hold.DescribeTarget(),
                reason = h.Hold.Reason,
                requestedBy = h.Hold.RequestedBy,
                placedBy = h.Hold.PlacedBy,
                placedAt = h.PlacedAt,
            })));
        routes.MapPost("/api/holds", PlaceAsync);
        routes.MapPost("/api/holds/{id:guid}/release", async (HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services) =>
        {
            (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.Holds);
            if (refusal is not null)
            {
                return refusal;
            }

            JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
            string reason = body.TryGetProperty("reason", out JsonElement r) ? r.GetString() ?? string.Empty : string.Empty;
            return string.IsNullOrWhiteSpace(reason) ? Results.BadRequest(new { error = "a reason is required" })
                : await services.Store.ReleaseHoldAsync(id, principal!.Name, reason.Trim(), context.RequestAborted) ? Results.NoContent() : Results.NotFound();
        });
        routes.MapGet("/api/indicators", async (HttpContext context, ConsoleGate gate, ConsoleServices services) =>
            await EnterAsync(context, gate, AccessAction.Kpi) is { } refusal ? refusal
            : Period(context.Request.Query) is not { } period ? Results.BadRequest(new { error = "from and to are yyyy-mm-dd, from before to" })
            : Results.Json((await KpisAsync(services, period, context.RequestAborted)).Select(k => new
            {
                campaign = k.Query.CampaignId,
                calls = k.Calls,
                shareRecorded = k.ShareRecorded,
                shareInformed = k.ShareInformed,
                purged = k.RecordingsPurged,
                oppositions = k.OppositionsAgent + k.OppositionsProspect,
            })));
        routes.MapGet("/api/indicators.csv", async (HttpContext context, ConsoleGate gate, ConsoleServices services) =>
            await EnterAsync(context, gate, AccessAction.Kpi) is { } refusal ? refusal
            : Period(context.Request.Query) is not { } period ? Results.BadRequest(new { error = "from and to are yyyy-mm-dd, from before to" })
            : Results.File(Encoding.UTF8.GetBytes(Csv(await KpisAsync(services, period, context.RequestAborted))), "text/csv", "indicators.csv"));
        routes.MapGet("/api/campaigns", async (HttpContext context, ConsoleGate gate, ConsoleServices services) =>
            await EnterAsync(context, gate, AccessAction.Config) is { } refusal ? refusal
            : Results.Json(new
            {
                campaigns = services.Config.Campaigns.Select(c => new
                {
                    id = c.Id,
                    name = c.Name,
                    mode = EnumWords.Of(c.Recording.Mode),
                    retentionDays = c.Recording.RetentionDays,
                    purposes = c.Recording.Purposes,
                }),
            }));
        routes.MapGet("/api/audit", async (HttpContext context, ConsoleGate gate, ConsoleServices services) =>
        {
            if (await EnterAsync(context, gate, AccessAction.AuditRead) is { } refusal)
            {
                return refusal;
            }

            string? actor = context.Request.Query["actor"].ToString() is { Length: > 0 } a ? a : null;
            DateTimeOffset? from = DateOnly.TryParseExact(context.Request.Query["from"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
                ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            IReadOnlyList<AuditEntry> entries = await services.Store.SearchAuditAsync(new AuditQuery { Actor = actor, From = from, Limit = 500 }, context.RequestAborted);
            return Results.Json(entries.Select(e => new { seq = e.Sequence, at = e.Event.At, actor = e.Event.Actor, action = EnumWords.Of(e.Event.Action), purpose = e.Event.Purpose, detail = e.Event.Detail }));
        });
        routes.MapPost("/api/audit/verify", async (HttpContext context, ConsoleGate gate, ConsoleServices services) =>
        {
            if (await EnterAsync(context, gate, AccessAction.AuditVerify) is { } refusal)
            {
                return refusal;
            }

            AuditVerification result = await services.Store.VerifyAuditAsync([], context.RequestAborted);
            return Results.Json(new { intact = result.Intact, entries = result.Entries, firstBad = result.FirstBadSequence, problem = result.Problem });
        });
    }

    private static async Task<IResult?> EnterAsync(HttpContext context, ConsoleGate gate, AccessAction action) =>
        (await gate.EnterAsync(context, action).ConfigureAwait(false)).Refusal;

    private static async Task<IResult> PlaceAsync(HttpContext context, ConsoleGate gate, ConsoleServices services)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.Holds).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted).ConfigureAwait(false);
        string Text(string name) => ConsoleJson.Text(body, name);
        string scope = Text("scope");
        string target = Text("target");
        var hold = new NewLegalHold
        {
            Scope = LegalHoldScope.Recording,
            Reason = Text("reason"),
            RequestedBy = Text("requestedBy"),
            PlacedBy = principal!.Name,
        };
        switch (scope)
        {
            case "recording" when Guid.TryParse(target, out Guid recording):
                hold = hold with { RecordingId = recording };
                break;
            case "call" when target.Length > 0:
                hold = hold with { Scope = LegalHoldScope.Call, CallId = target };
                break;
            case "campaign" when target.Length > 0:
                hold = hold with { Scope = LegalHoldScope.Campaign, CampaignId = target };
                break;
            case "number" when services.Vault is { } vault && new PhoneNumberNormalizer(services.Config.Country).TryNormalize(target, out string? e164, out _):
                // Kept as its keyed hash only, as the CLI does.
                hold = hold with { Scope = LegalHoldScope.Number, NumberDigest = vault.Digest(e164) };
                break;
            default:
                return Results.BadRequest(new { error = "the hold's target does not fit its scope (a recording id, a call id, a campaign, a phone number)" });
        }

        try
        {
            LegalHold placed = await services.Store.PlaceHoldAsync(hold, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { id = placed.Id, target = placed.Hold.DescribeTarget() }, statusCode: StatusCodes.Status201Created);
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    private static KpiQuery? Period(IQueryCollection query) =>
        DateOnly.TryParseExact(query["from"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly from)
        && DateOnly.TryParseExact(query["to"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly to) && from <= to
            ? new KpiQuery(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
            : null;

    /// <summary>The indicators of every campaign of the running configuration, then of all together.</summary>
    private static async Task<List<KpiReport>> KpisAsync(ConsoleServices services, KpiQuery period, CancellationToken cancellationToken)
    {
        var reports = new List<KpiReport>();
        foreach (string campaign in services.Config.Campaigns.Select(c => c.Id))
        {
            reports.Add(await services.Store.ComputeKpiAsync(period with { CampaignId = campaign }, cancellationToken).ConfigureAwait(false));
        }

        reports.Add(await services.Store.ComputeKpiAsync(period, cancellationToken).ConfigureAwait(false));
        return reports;
    }

    private static string Csv(IEnumerable<KpiReport> reports)
    {
        var csv = new StringBuilder("campaign,from,before,calls,recorded,informed,share_recorded,share_informed,pauses,oppositions_agent,oppositions_prospect,purged,bytes_freed\n");
        foreach (KpiReport k in reports)
        {
            csv.AppendLine(string.Join(
                ',',
                k.Query.CampaignId ?? "(all)",
                k.Query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                k.Query.Before.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                k.Calls.ToString(CultureInfo.InvariantCulture),
                k.CallsRecorded.ToString(CultureInfo.InvariantCulture),
                k.CallsInformed.ToString(CultureInfo.InvariantCulture),
                k.ShareRecorded.ToString("0.####", CultureInfo.InvariantCulture),
                k.ShareInformed.ToString("0.####", CultureInfo.InvariantCulture),
                k.Pauses.ToString(CultureInfo.InvariantCulture),
                k.OppositionsAgent.ToString(CultureInfo.InvariantCulture),
                k.OppositionsProspect.ToString(CultureInfo.InvariantCulture),
                k.RecordingsPurged.ToString(CultureInfo.InvariantCulture),
                k.BytesFreed.ToString(CultureInfo.InvariantCulture)));
        }

        return csv.ToString();
    }
}
