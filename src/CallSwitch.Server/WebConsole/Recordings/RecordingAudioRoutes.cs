using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Recordings;

/// <summary>
/// The player's audio: opening a recording for a purpose (decided and audited by
/// <see cref="RecordingAccess.OpenForListeningAsync"/>), then its decrypted bytes streamed with
/// HTTP ranges from memory (the decrypting reader's output is never written to disk), its
/// waveforms, and the download where the role and the campaign allow it (watermarked).
/// </summary>
internal static class RecordingAudioRoutes
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/recordings/{id:guid}/open", OpenAsync);
        routes.MapGet("/api/recordings/{id:guid}/audio", (HttpContext context, Guid id, string? ticket, ConsoleGate gate, ListeningTickets tickets) =>
            WithTicketAsync(context, id, ticket, gate, tickets, t => Results.Bytes(t.Audio, "audio/ogg", enableRangeProcessing: true)));
        routes.MapGet("/api/recordings/{id:guid}/waveform", (HttpContext context, Guid id, string? ticket, ConsoleGate gate, ListeningTickets tickets) =>
            WithTicketAsync(context, id, ticket, gate, tickets, t => Results.Json(t.Waveform.Value)));
        routes.MapPost("/api/recordings/{id:guid}/download", DownloadAsync);
    }

    private static async Task<IResult> OpenAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services, ListeningTickets tickets)
    {
        // The right to hear this recording for this purpose is decided below, with its campaign; the door asks only for a signed-in user who may find recordings.
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonElement body = await context.Request.ReadFromJsonAsync<JsonElement>(context.RequestAborted).ConfigureAwait(false);
        AccessPurpose? purpose = PurposeOf(body.TryGetProperty("purpose", out JsonElement p) ? p.GetString() : null, body.TryGetProperty("reason", out JsonElement r) ? r.GetString() : null);
        (RecordingMetadata? recording, IResult? failure) = await AccessAsync(context, services, principal!, id, AccessAction.Stream, purpose, "console player").ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        byte[] audio = await DecryptAsync(services, recording!, context.RequestAborted).ConfigureAwait(false);
        ListeningTicket ticket = tickets.Issue(principal!.Name, id, audio);
        return Results.Json(new
        {
            ticket = ticket.Token,
            audio = $"/api/recordings/{id}/audio?ticket={ticket.Token}",
            waveform = $"/api/recordings/{id}/waveform?ticket={ticket.Token}",
        });
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, Guid id, ConsoleGate gate, ConsoleServices services)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SearchRecordings).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        AccessPurpose? purpose = PurposeOf(form["purpose"], form["reason"]);
        (RecordingMetadata? recording, IResult? failure) = await AccessAsync(context, services, principal!, id, AccessAction.Download, purpose, "console download").ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        byte[] audio = await DecryptAsync(services, recording!, context.RequestAborted).ConfigureAwait(false);
        using var marked = new MemoryStream(audio.Length + 512);
        KeyValuePair<string, string>[] watermark =
        [
            new("EXPORTED_BY", principal!.Name),
            new("EXPORTED_AT", services.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            new("EXPORT_PURPOSE", RecordingAccess.Why(purpose, null)),
        ];
        await OggTagWatermark.CopyWithCommentsAsync(new MemoryStream(audio, writable: false), marked, watermark, context.RequestAborted).ConfigureAwait(false);
        return Results.File(marked.ToArray(), "audio/ogg", $"{id:N}.ogg");
    }

    /// <summary>Opens the recording's audio for the user and purpose, or the answer why not (403 audited, 404, 410 when its audio is gone).</summary>
    private static async Task<(RecordingMetadata?, IResult?)> AccessAsync(
        HttpContext context, ConsoleServices services, Principal principal, Guid id, AccessAction action, AccessPurpose? purpose, string detail)
    {
        if (services.Vault is null)
        {
            return (null, Results.Json(new { error = "recording is not set up on this switch" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        RecordingMetadata? recording;
        try
        {
            recording = await services.Recordings.OpenForListeningAsync(principal, id, action, purpose, null, detail, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AccessDeniedException denied)
        {
            return (null, Results.Json(new { error = denied.Message }, statusCode: StatusCodes.Status403Forbidden));
        }

        if (recording is null)
        {
            return (null, Results.NotFound(new { error = "no such recording" }));
        }

        return recording.IsPlayable ? (recording, null) : (null, Results.Json(new { error = "the recording's audio is gone (erased or refused)" }, statusCode: StatusCodes.Status410Gone));
    }

    /// <summary>The decrypted Ogg Opus bytes, read through the vault's decrypting reader into memory.</summary>
    private static async Task<byte[]> DecryptAsync(ConsoleServices services, RecordingMetadata recording, CancellationToken cancellationToken)
    {
        try
        {
            return await DecryptAsync(services.Vault!, recording.FilePath!, recording.FileSize, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"recording {recording.Id}: {e.Message}", e);
        }
    }

    /// <summary>A vault file (a recording or a training extract) decrypted into memory; nothing plain is written.</summary>
    /// <exception cref="InvalidOperationException">It cannot be read: gone, its key shredded, or it fails authentication.</exception>
    internal static async Task<byte[]> DecryptAsync(RecordingVault vault, string path, long? sizeHint, CancellationToken cancellationToken)
    {
        try
        {
            await using EncryptedRecordingReader reader = vault.OpenRecording(path);
            using var plain = new MemoryStream(sizeHint is { } size ? (int)Math.Min(size, int.MaxValue) : 64 * 1024);
            await reader.CopyToAsync(plain, cancellationToken).ConfigureAwait(false);
            return plain.ToArray();
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException or RecordingIntegrityException or CryptographicException)
        {
            throw new InvalidOperationException("cannot be read: " + e.Message, e);
        }
    }

    private static async Task<IResult> WithTicketAsync(HttpContext context, Guid id, string? token, ConsoleGate gate, ListeningTickets tickets, Func<ListeningTicket, IResult> answer)
    {
        if (await gate.PrincipalAsync(context).ConfigureAwait(false) is not { } principal)
        {
            return Results.Unauthorized();
        }

        // The ticket is the audited, purpose-bound access: without one (or another user's), nothing.
        return tickets.Find(token, principal.Name, id) is { } ticket
            ? answer(ticket)
            : Results.Json(new { error = "open the recording for a purpose first (or again: the ticket lapsed)" }, statusCode: StatusCodes.Status403Forbidden);
    }

    private static AccessPurpose? PurposeOf(string? purpose, string? reason) =>
        string.IsNullOrWhiteSpace(purpose) ? null : new AccessPurpose(purpose.Trim(), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
}
