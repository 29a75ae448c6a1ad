using System.Globalization;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Recordings;

/// <summary>
/// Recordings: search (by a number in any written form, dates, campaign, agent, status; paged),
/// one recording's facts and annotations, and the player's audio (<see cref="RecordingAudioRoutes"/>).
/// Every search and view goes through <see cref="RecordingAccess"/> (audited) and every right
/// through the authorisation service.
/// </summary>
internal static class RecordingRoutes
{
    /// <summary>The purpose written in the audit log for the console's searches and views.</summary>
    public const string Purpose = "console";

    private const int PageSize = 25;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/recordings", SearchAsync);
        routes.MapGet("/api/recordings/{id:guid}", GetAsync);
        routes.MapGet("/api/recordings/{id:guid}/annotations", AnnotationsAsync);
        routes.MapPost("/api/recordings/{id:guid}/annotations", AnnotateAsync);
        RecordingAudioRoutes.Map(routes);
        ExtractRoutes.Map(routes);
    }

    /// <summary>The query of the search form; null with the reason when a field is not valid.</summary>
    public static (RecordingQuery? Query, string? Error) Query(IQueryCollection form, string country)
    {
        ArgumentNullException.ThrowIfNull(form);
        var query = new RecordingQuery { PageSize = PageSize };
        string number = form["number"].ToString().Trim();
        if (number.Length > 0)
        {
            if (!new PhoneNumberNormalizer(country).TryNormalize(number, out string? e164, out string? reason))
            {
                return (null, $"not a phone number: {reason}");
            }

            query = query with { ProspectNumber = e164 };
        }

        if (!Day(form["from"], out DateTimeOffset? from) || !Day(form["to"], out DateTimeOffset? to))
        {
            return (null, "a date is yyyy-mm-dd");
        }

        string statusText = form["status"].ToString();
        RecordingStatus? status = statusText switch
        {
            "complete" => RecordingStatus.Complete,
            "incomplete" => RecordingStatus.Incomplete,
            "in-progress" => RecordingStatus.InProgress,
            _ => null,
        };
        if (statusText.Length > 0 && status is null)
        {
            return (null, "unknown status");
        }

        string? after = form["after"];
        RecordingCursor? cursor = null;
        if (!string.IsNullOrEmpty(after))
        {
            string[] parts = after.Split('_');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) || !Guid.TryParse(parts[1], out Guid last))
            {
                return (null, "not a page cursor");
            }

            cursor = new RecordingCursor(new DateTimeOffset(ticks, TimeSpan.Zero), last);
        }

        return (query with
        {
            CampaignId = Blank(form["campaign"]),
            AgentId = Blank(form["agent"]),
            StartedFrom = from,
            StartedBefore = to?.AddDays(1),
            Status = status,
            After = cursor,
        }, null);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ConsoleGate gate, ConsoleServices services)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        (RecordingQuery? query, string? error) = Query(context.Request.Query, services.Config.Country);
        if (query is null)
        {
            return Results.BadRequest(new { error });
        }

        // The user's scopes go into the query itself: a page is a full page of what they may see,
        // however few of the matching recordings that is.
        query = query with { Reach = Authorizer.Reach(principal!, AccessAction.SearchRecordings, services.AgentsOf) };
        RecordingPage page = await services.Recordings.SearchAsync(query, principal!.Name, Purpose, context.RequestAborted).ConfigureAwait(false);

        // Each recording is still asked of the authorisation service before it is shown: one that the reach let in by mistake would be left out, never shown.
        IAuthorizer authorizer = services.Authorizer;
        var items = page.Items
            .Where(r => authorizer.Decide(principal, AccessAction.SearchRecordings, services.ResourceOf(r.CampaignId, r.AgentId, r.Id)).Allowed)
            .Select(r => Summary(r, MayHear(services, principal!, r)))
            .ToList();
        string? next = page.NextCursor is { } c ? FormattableString.Invariant($"{c.StartedAt.UtcTicks}_{c.Id:N}") : null;
        return Results.Json(new { items, next });
    }

    private static async Task<IResult> GetAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services)
    {
        (Principal? principal, RecordingMetadata? recording, IResult? refusal) = await OpenAsync(context, id, gate, services, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        // Viewing the facts is an access of its own: audited.
        await services.Recordings.OpenForAccessAsync(id, principal!.Name, Purpose, AuditAction.View, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        IAuthorizer authorizer = services.Authorizer;
        AccessResource resource = services.ResourceOf(recording!.CampaignId, recording.AgentId, id);
        IReadOnlyList<string> purposes = PurposesOf(services, recording);
        bool May(AccessAction action) => purposes.Any(p => authorizer.Decide(principal, action, resource, new AccessPurpose(p, "check")).Allowed);
        return Results.Json(new
        {
            recording = Summary(recording, May(AccessAction.Stream)),
            purposes,
            pauses = recording.Pauses.Select(p => new[] { p.Start.TotalSeconds, (p.End ?? recording.Duration ?? p.Start).TotalSeconds }),
            barges = recording.Barges.Select(b => new[] { b.Start.TotalSeconds, (b.End ?? recording.Duration ?? b.Start).TotalSeconds }),
            notice = recording.Announcement is { } notice ? Math.Max(0, (notice.At - recording.StartedAt).TotalSeconds) : (double?)null,
            playable = recording.IsPlayable,
            mayStream = May(AccessAction.Stream),
            mayDownload = May(AccessAction.Download),
            mayExtract = May(AccessAction.Extract),
            mayAnnotate = authorizer.Decide(principal, AccessAction.Annotate, resource).Allowed,
        });
    }

    private static async Task<IResult> AnnotationsAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services)
    {
        (_, _, IResult? refusal) = await OpenAsync(context, id, gate, services, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        IReadOnlyList<RecordingAnnotation> notes = await services.Annotations.ListAnnotationsAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(notes.Select(n => new { at = n.Position.TotalSeconds, author = n.Author, text = n.Text, written = n.CreatedAt }));
    }

    private static async Task<IResult> AnnotateAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services)
    {
        (Principal? principal, _, IResult? refusal) = await OpenAsync(context, id, gate, services, AccessAction.Annotate).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted).ConfigureAwait(false);
        string text = body.TryGetProperty("text", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()!.Trim() : string.Empty;
        double at = body.TryGetProperty("at", out JsonElement a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : -1;
        if (text.Length is 0 or > IAnnotationStore.MaxTextLength || at < 0 || double.IsNaN(at) || at > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return Results.BadRequest(new { error = $"an annotation needs a text (1 to {IAnnotationStore.MaxTextLength} characters) and a position in seconds" });
        }

        RecordingAnnotation? note = await services.Annotations.AddAnnotationAsync(id, TimeSpan.FromSeconds(at), principal!.Name, text, context.RequestAborted).ConfigureAwait(false);
        return note is null ? Results.NotFound() : Results.Json(new { at = note.Position.TotalSeconds, author = note.Author, text = note.Text, written = note.CreatedAt }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The user, the recording, and whether they may do <paramref name="action"/> on it (a denial audited, 403; unknown, 404).</summary>
    internal static async Task<(Principal?, RecordingMetadata?, IResult?)> OpenAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services, AccessAction action)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, action).ConfigureAwait(false);
        if (refusal is not null)
        {
            return (null, null, refusal);
        }

        RecordingMetadata? recording = await services.Store.GetRecordingAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (recording is null)
        {
            return (null, null, Results.NotFound(new { error = "no such recording" }));
        }

        IResult? denied = await gate.DemandAsync(context, principal!, action, services.ResourceOf(recording.CampaignId, recording.AgentId, id)).ConfigureAwait(false);
        return (principal, recording, denied);
    }

    /// <summary>The purposes a listener may give for a recording: its campaign's in force, else those it was recorded for.</summary>
    private static IReadOnlyList<string> PurposesOf(ConsoleServices services, RecordingMetadata recording) =>
        services.Config.FindCampaign(recording.CampaignId)?.Recording.Purposes ?? recording.Purposes;

    /// <summary>
    /// Whether the user may hear the recording for one of its purposes: only then is the
    /// prospect's number shown in clear (a supervisor given extracts only, a dpo outside a
    /// request, see it masked; the search by number works all the same).
    /// </summary>
    private static bool MayHear(ConsoleServices services, Principal principal, RecordingMetadata recording)
    {
        AccessResource resource = services.ResourceOf(recording.CampaignId, recording.AgentId, recording.Id);
        return PurposesOf(services, recording).Any(p => services.Authorizer.Decide(principal, AccessAction.Stream, resource, new AccessPurpose(p, "check")).Allowed);
    }

    private static object Summary(RecordingMetadata r, bool numberInClear) => new
    {
        id = r.Id,
        startedAt = r.StartedAt,
        seconds = r.Duration?.TotalSeconds,
        campaign = r.CampaignId,
        agent = r.AgentId,
        number = numberInClear ? r.ProspectNumber : PhoneNumberMask.Mask(r.ProspectNumber),
        status = r.IsErased ? "erased" : EnumWords.Of(r.Status),
        held = r.LegalHold,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool Day(string? text, out DateTimeOffset? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
        {
            return false;
        }

        day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return true;
    }
}
