using System.Globalization;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Requests;

/// <summary>
/// The dpo's routes for data-subject requests and the do-not-call list, through
/// <see cref="RequestDesk"/> (the CLI's services: same checks, same audit). Numbers are taken in
/// any written form and only ever answered masked; the access bundle of a fulfilled access request
/// downloads (audited). Every route asks the gate for the right to handle requests first.
/// </summary>
internal static class RequestRoutes
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/requests", (HttpContext context, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
            WithDeskAsync(context, gate, async who =>
            {
                string statusText = context.Request.Query["status"].ToString();
                RequestStatus? status = EnumWords.Parse<RequestStatus>(statusText);
                if (statusText.Length > 0 && status is null)
                {
                    return Results.BadRequest(new { error = "status is open, done or rejected" });
                }

                bool overdue = context.Request.Query["overdue"] == "1";
                IReadOnlyList<SubjectRequest> requests = await desk.Requests.ListAsync(who, status, overdue, context.RequestAborted);
                DateTimeOffset now = services.Time.GetUtcNow();
                return Results.Json(requests.Select(r => Summary(r, now)));
            }));
        routes.MapPost("/api/requests", (HttpContext context, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
            WithDeskAsync(context, gate, async who =>
            {
                JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
                if (EnumWords.Parse<RequestKind>(ConsoleJson.Text(body, "kind")) is not { } kind)
                {
                    return Results.BadRequest(new { error = "kind is access, erasure, restriction or objection" });
                }

                DateTimeOffset? received = null;
                if (ConsoleJson.Text(body, "received") is { Length: > 0 } day)
                {
                    if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
                    {
                        return Results.BadRequest(new { error = "received is yyyy-mm-dd" });
                    }

                    received = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                }

                SubjectRequest opened = await desk.Requests.OpenAsync(
                    who, kind, ConsoleJson.Text(body, "number"), Blank(ConsoleJson.Text(body, "reference")), received, Blank(ConsoleJson.Text(body, "campaign")), context.RequestAborted);
                return Results.Json(Summary(opened, services.Time.GetUtcNow()), statusCode: StatusCodes.Status201Created);
            }));
        routes.MapGet("/api/requests/{id:long}", (HttpContext context, long id, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
            WithDeskAsync(context, gate, async who =>
            {
                (SubjectRequest request, IReadOnlyList<AuditEntry> steps) = await desk.Requests.ShowAsync(who, id, context.RequestAborted);
                return Results.Json(new
                {
                    request = Summary(request, services.Time.GetUtcNow()),
                    openedBy = request.OpenedBy,
                    closedAt = request.ClosedAt,
                    closedBy = request.ClosedBy,
                    outcome = request.Outcome,
                    liftedAt = request.LiftedAt,
                    liftedBy = request.LiftedBy,
                    bundle = request is { Kind: RequestKind.Access, Status: RequestStatus.Done } && File.Exists(desk.BundlePath(id)),
                    steps = steps.Select(s => new
                    {
                        seq = s.Sequence,
                        at = s.Event.At,
                        actor = s.Event.Actor,
                        action = EnumWords.Of(s.Event.Action),
                        recording = s.Event.RecordingId,
                        detail = s.Event.Detail,
                    }),
                });
            }));
        routes.MapPost("/api/requests/{id:long}/fulfil", (HttpContext context, long id, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
            WithDeskAsync(context, gate, async who =>
            {
                RequestAnswer answer = await desk.Requests.FulfilAsync(who, id, desk.BundlePath(id), context.RequestAborted);
                return Results.Json(new
                {
                    request = Summary(answer.Request, services.Time.GetUtcNow()),

                    // The bundle's path is the server's business: the page offers the download instead.
                    lines = answer.Lines.Where(l => !l.StartsWith("wrote ", StringComparison.Ordinal)),
                    receipts = answer.Receipts.Select(r => new { recording = r.RecordingId, key = r.SigningKeyId }),
                });
            }));
        routes.MapPost("/api/requests/{id:long}/reject", (HttpContext context, long id, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
            WithDeskAsync(context, gate, async who =>
            {
                JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
                SubjectRequest rejected = await desk.Requests.RejectAsync(who, id, ConsoleJson.Text(body, "reason"), context.RequestAborted);
                return Results.Json(Summary(rejected, services.Time.GetUtcNow()));
            }));
        routes.MapPost("/api/requests/{id:long}/lift", (HttpContext context, long id, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
            WithDeskAsync(context, gate, async who =>
            {
                JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
                string reason = ConsoleJson.Text(body, "reason");
                if (reason.Length == 0)
                {
                    return Results.BadRequest(new { error = "lifting a restriction needs its reason" });
                }

                SubjectRequest lifted = await desk.Requests.LiftAsync(who, id, reason, context.RequestAborted);
                return Results.Json(Summary(lifted, services.Time.GetUtcNow()));
            }));
        routes.MapGet("/api/requests/{id:long}/bundle", DownloadBundleAsync);
        routes.MapGet("/api/do-not-call", (HttpContext context, ConsoleGate gate, RequestDesk desk) =>
            WithDeskAsync(context, gate, async who =>
                Results.Json((await desk.DoNotCall.ListAsync(who, context.RequestAborted)).Select(e => new
                {
                    number = PhoneNumberMask.Mask(e.Number),
                    campaign = e.CampaignId,
                    addedAt = e.AddedAt,
                    addedBy = e.AddedBy,
                    source = e.Source,
                }))));
        routes.MapPost("/api/do-not-call", (HttpContext context, ConsoleGate gate, RequestDesk desk) =>
            WithDeskAsync(context, gate, async who =>
            {
                JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
                bool added = await desk.DoNotCall.AddAsync(who, ConsoleJson.Text(body, "number"), Blank(ConsoleJson.Text(body, "campaign")), context.RequestAborted);
                return Results.Json(new { added }, statusCode: added ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            }));
        routes.MapPost("/api/do-not-call/remove", (HttpContext context, ConsoleGate gate, RequestDesk desk) =>
            WithDeskAsync(context, gate, async who =>
            {
                JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
                return await desk.DoNotCall.RemoveAsync(who, ConsoleJson.Text(body, "number"), Blank(ConsoleJson.Text(body, "campaign")), ConsoleJson.Text(body, "reason"), context.RequestAborted)
                    ? Results.NoContent()
                    : Results.NotFound(new { error = "not listed for that scope: nothing changed" });
            }));
    }

    /// <summary>The bundle of a fulfilled access request, streamed from its owner-only file; the download is audited under the request.</summary>
    private static Task<IResult> DownloadBundleAsync(HttpContext context, long id, ConsoleGate gate, RequestDesk desk, ConsoleServices services) =>
        WithDeskAsync(context, gate, async who =>
        {
            (SubjectRequest request, _) = await desk.Requests.ShowAsync(who, id, context.RequestAborted);
            string path = desk.BundlePath(id);
            if (request is not { Kind: RequestKind.Access, Status: RequestStatus.Done } || !File.Exists(path))
            {
                return Results.NotFound(new { error = $"{request.Code} has no access bundle (only a fulfilled access request has one)" });
            }

            long bytes = new FileInfo(path).Length;
            await services.Store.AppendAuditAsync(
                new AuditEvent(services.Time.GetUtcNow(), who.Name, AuditAction.Export, null, SubjectRequestService.PurposeOf(id),
                    FormattableString.Invariant($"access bundle downloaded from the console: file={Path.GetFileName(path)} bytes={bytes}")),
                context.RequestAborted);
            return Results.File(path, "application/zip", request.Code + ".zip");
        });

    /// <summary>
    /// Lets a user who may handle requests through, then answers with <paramref name="body"/>: a
    /// refusal of the service is 400 with its one-line reason, of the authoriser 403 (audited by
    /// the guard), a switch without recording 503.
    /// </summary>
    private static async Task<IResult> WithDeskAsync(HttpContext context, ConsoleGate gate, Func<Principal, Task<IResult>> body)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.Requests).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            return await body(principal!).ConfigureAwait(false);
        }
        catch (RequestException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
        catch (AccessDeniedException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status403Forbidden);
        }
        catch (InvalidOperationException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static object Summary(SubjectRequest r, DateTimeOffset now) => new
    {
        id = r.Id,
        code = r.Code,
        kind = SubjectRequestService.Code(r.Kind),
        number = r.NumberMasked,
        campaign = r.CampaignId,
        reference = r.Reference,
        receivedAt = r.ReceivedAt,
        dueAt = r.DueAt,
        status = SubjectRequestService.Code(r.Status),
        overdue = r.IsOverdue(now),
        restrictionInForce = r.RestrictionInForce,
    };

    private static string? Blank(string text) => text.Length == 0 ? null : text;
}
