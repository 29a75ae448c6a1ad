using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Server.Extracts;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Recordings;

/// <summary>
/// Anonymised training extracts from the player: made by <see cref="TrainingExtracts"/> (the
/// CLI's <c>recordings extract</c>: the right, the campaign's extract roles and the purpose decided
/// and audited there), then downloadable by whoever may make extracts of that campaign and agent
/// for a purpose (decided again, the download audited). The extract is the agent's channel only,
/// decrypted in memory for the answer: no plain file is written.
/// </summary>
internal static class ExtractRoutes
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/recordings/{id:guid}/extract", MakeAsync);
        routes.MapPost("/api/extracts/{id:guid}/download", DownloadAsync);
    }

    private static async Task<IResult> MakeAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services)
    {
        // The door asks only for a user who may find recordings: the extract right depends on the campaign and the purpose, decided below.
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (services.Extracts is not { } extracts)
        {
            return Results.Json(new { error = "recording is not set up on this switch" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted).ConfigureAwait(false);
        if (PurposeOf(ConsoleJson.Text(body, "purpose"), ConsoleJson.Text(body, "reason")) is not { } purpose)
        {
            return Results.BadRequest(new { error = "an extract needs a purpose (one of the campaign's)" });
        }

        TrainingExtract? extract;
        try
        {
            extract = await extracts.MakeAsync(principal!, id, purpose, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AccessDeniedException denied)
        {
            return Results.Json(new { error = denied.Message }, statusCode: StatusCodes.Status403Forbidden);
        }
        catch (InvalidOperationException gone)
        {
            return Results.Json(new { error = gone.Message }, statusCode: StatusCodes.Status410Gone);
        }

        return extract is null
            ? Results.NotFound(new { error = "no such recording" })
            : Results.Json(
                new
                {
                    id = extract.Id,
                    agent = extract.AgentId,
                    campaign = extract.CampaignId,
                    seconds = extract.Duration.TotalSeconds,
                    keptUntil = extract.RetentionUntil,
                    download = $"/api/extracts/{extract.Id}/download",
                },
                statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services)
    {
        // The door asks only for a user who may find recordings: the extract right depends on the campaign and the purpose, decided below.
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (services.Vault is not { } vault)
        {
            return Results.Json(new { error = "recording is not set up on this switch" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        AccessPurpose? purpose = PurposeOf(form["purpose"].ToString().Trim(), form["reason"].ToString().Trim());

        // Extracts are few and short-lived (their own retention): the list is small.
        IReadOnlyList<TrainingExtract> all = await services.Store.ListExtractsAsync(cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (all.FirstOrDefault(e => e.Id == id) is not { } extract)
        {
            return Results.NotFound(new { error = "no such extract (or it was purged at its deadline)" });
        }

        if (extract.RetentionUntil <= services.Time.GetUtcNow())
        {
            // Past its deadline: the retention sidecar destroys it on its next run; nobody gets it meanwhile.
            return Results.Json(new { error = $"extract {id:N} is past its retention deadline" }, statusCode: StatusCodes.Status410Gone);
        }

        if (await gate.DemandAsync(context, principal!, AccessAction.Extract, services.ResourceOf(extract.CampaignId, extract.AgentId), purpose).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        byte[] audio;
        try
        {
            audio = await RecordingAudioRoutes.DecryptAsync(vault, extract.FilePath, null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return Results.Json(new { error = $"extract {id:N}: {e.Message}" }, statusCode: StatusCodes.Status410Gone);
        }

        await services.Store.AppendAuditAsync(
            new AuditEvent(services.Time.GetUtcNow(), principal!.Name, AuditAction.Export, null, RecordingAccess.Why(purpose, null),
                $"training extract {extract.Id:N} downloaded from the console (agent {extract.AgentId}, campaign {extract.CampaignId}, agent's channel only)"),
            context.RequestAborted).ConfigureAwait(false);
        return Results.File(audio, "audio/ogg", $"extract-{extract.Id:N}.ogg");
    }

    private static AccessPurpose? PurposeOf(string purpose, string reason) =>
        purpose.Length == 0 ? null : new AccessPurpose(purpose, reason.Length == 0 ? null : reason);
}
