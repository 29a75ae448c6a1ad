using System.Globalization;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch requests open|list|show|reject|fulfil|lift|recorded</c>: data-subject requests,
/// through <see cref="SubjectRequestService"/> (the CLI only reads arguments and prints). Every
/// step is authorised (the right to handle requests: dpo) and audited under the acting user.
/// </summary>
internal static class RequestCommands
{
    /// <summary>Runs <c>requests <paramref name="command"/></c>.</summary>
    public static async Task<int> RunAsync(
        string command,
        RequestArguments arguments,
        Func<string?, ConfigLoadResult> load,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        long id = 0;
        if (arguments.Id is { } idText && !SubjectRequest.TryParseCode(idText, out id))
        {
            error.WriteLine($"not a request id: {idText} (DSR-17 or 17)");
            return 2;
        }

        RequestKind? kind = null;
        if (command == "open" && (kind = EnumWords.Parse<RequestKind>(arguments.Type)) is null)
        {
            error.WriteLine($"--type: {arguments.Type} is not one of access, erasure, restriction, objection");
            return 2;
        }

        RequestStatus? status = null;
        if (arguments.Status is { } statusText && (status = EnumWords.Parse<RequestStatus>(statusText)) is null)
        {
            error.WriteLine($"--status: {statusText} is not one of open, done, rejected");
            return 2;
        }

        DateTimeOffset? received = null;
        if (arguments.Received is { } receivedText)
        {
            if (!DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                error.WriteLine($"--received: not a date: {receivedText} (2026-12-01 or 2026-12-01T09:30:00Z)");
                return 2;
            }

            received = parsed;
        }

        return await RequestSession.RunAsync(arguments, "requests " + command, load, error, async session =>
        {
            SubjectRequestService service = session.Service;
            Principal? who = session.Who;
            switch (command)
            {
                case "open":
                    SubjectRequest opened = await service.OpenAsync(who, kind!.Value, arguments.Number!, arguments.Reference, received, arguments.Campaign, cancellationToken)
                        .ConfigureAwait(false);
                    output.WriteLine($"opened {opened.Code}: {SubjectRequestService.Code(opened.Kind)} for {opened.NumberMasked}, due {SubjectRequestService.Iso(opened.DueAt)}");
                    return 0;
                case "list":
                    IReadOnlyList<SubjectRequest> requests = await service.ListAsync(who, status, arguments.Overdue, cancellationToken).ConfigureAwait(false);
                    DateTimeOffset now = DateTimeOffset.UtcNow;
                    foreach (SubjectRequest request in requests)
                    {
                        output.WriteLine(Line(request, now));
                    }

                    output.WriteLine($"{requests.Count} request(s)");
                    return 0;
                case "show":
                    var (shown, steps) = await service.ShowAsync(who, id, cancellationToken).ConfigureAwait(false);
                    Show(shown, steps, output);
                    return 0;
                case "reject":
                    SubjectRequest rejected = await service.RejectAsync(who, id, arguments.Reason ?? string.Empty, cancellationToken).ConfigureAwait(false);
                    output.WriteLine($"{rejected.Code} rejected: {rejected.Outcome}");
                    return 0;
                case "lift":
                    SubjectRequest lifted = await service.LiftAsync(who, id, arguments.Reason ?? string.Empty, cancellationToken).ConfigureAwait(false);
                    output.WriteLine($"{lifted.Code} lifted: the recordings may be heard and purged again");
                    return 0;
                case "recorded":
                    RecordedAnswer answer = await service.WasRecordedAsync(who, arguments.Number!, cancellationToken).ConfigureAwait(false);
                    output.WriteLine($"{answer.Calls} call(s) on record, {answer.Recordings} recording(s) held, {answer.ErasedAt.Count} recording(s) erased");
                    foreach (DateTimeOffset erased in answer.ErasedAt)
                    {
                        output.WriteLine($"  erased {SubjectRequestService.Iso(erased)}");
                    }

                    return 0;
                default:
                    return await FulfilAsync(session, id, arguments.Out, output, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One line of a listing: code, kind, number masked, received, due, status (overdue flagged).</summary>
    public static string Line(SubjectRequest request, DateTimeOffset now) => string.Join(
        "  ",
        request.Code,
        SubjectRequestService.Code(request.Kind),
        request.NumberMasked,
        "received " + SubjectRequestService.Iso(request.ReceivedAt),
        "due " + SubjectRequestService.Iso(request.DueAt),
        SubjectRequestService.Code(request.Status) + (request.IsOverdue(now) ? " OVERDUE" : string.Empty),
        request.Reference ?? string.Empty).TrimEnd();

    private static void Show(SubjectRequest request, IReadOnlyList<AuditEntry> steps, TextWriter output)
    {
        output.WriteLine(Line(request, DateTimeOffset.UtcNow));
        output.WriteLine($"opened {SubjectRequestService.Iso(request.OpenedAt)} by {request.OpenedBy}");
        if (request.CampaignId is { } campaign)
        {
            output.WriteLine("campaign: " + campaign);
        }

        if (request.ClosedAt is { } closed)
        {
            output.WriteLine($"{SubjectRequestService.Code(request.Status)} {SubjectRequestService.Iso(closed)} by {request.ClosedBy}: {request.Outcome}");
        }

        if (request.LiftedAt is { } lifted)
        {
            output.WriteLine($"lifted {SubjectRequestService.Iso(lifted)} by {request.LiftedBy}");
        }

        output.WriteLine("steps (audit log):");
        foreach (AuditEntry step in steps)
        {
            AuditEvent e = step.Event;
            output.WriteLine($"  #{step.Sequence}  {SubjectRequestService.Iso(e.At)}  {e.Actor}  {EnumWords.Of(e.Action)}{(e.RecordingId is { } r ? "  recording " + r.ToString("D") : string.Empty)}  {e.Detail}");
        }
    }

    private static async Task<int> FulfilAsync(RequestSession session, long id, string? outPath, TextWriter output, CancellationToken cancellationToken)
    {
        SubjectRequest? request = await session.Store.GetRequestAsync(id, cancellationToken).ConfigureAwait(false);
        bool erasure = request?.Kind == RequestKind.Erasure;
        if (erasure && outPath is not null && File.Exists(outPath))
        {
            throw new RequestException($"--out {outPath} is a file: an erasure's receipts go to a folder");
        }

        // An access writes its bundle there; an erasure its receipts, in the folder given.
        RequestAnswer answer = await session.Service.FulfilAsync(session.Who, id, erasure ? null : outPath, cancellationToken).ConfigureAwait(false);
        foreach (string line in answer.Lines)
        {
            output.WriteLine(line);
        }

        if (erasure && outPath is not null && answer.Receipts.Count > 0)
        {
            Directory.CreateDirectory(outPath);
            foreach (SignedErasureReceipt receipt in answer.Receipts)
            {
                string document = Path.Combine(outPath, receipt.RecordingId.ToString("D") + ".json");
                await File.WriteAllBytesAsync(document, receipt.Document, cancellationToken).ConfigureAwait(false);
                await File.WriteAllBytesAsync(document + ReceiptCommands.SignatureSuffix, receipt.Signature, cancellationToken).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(Path.Combine(outPath, ReceiptCommands.PublicKeyFileName), session.Service.ReceiptPublicKeyPem, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"{answer.Receipts.Count} receipt(s) written to {outPath} (verify: openssl dgst -sha256 -verify {ReceiptCommands.PublicKeyFileName} -signature ID.json{ReceiptCommands.SignatureSuffix} ID.json)");
        }

        output.WriteLine($"{answer.Request.Code} {SubjectRequestService.Code(answer.Request.Status)}");
        return 0;
    }
}
