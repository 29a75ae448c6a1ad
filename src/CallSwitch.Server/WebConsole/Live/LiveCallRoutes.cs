using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Access;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.WebConsole.Live;

/// <summary>
/// The live board's routes: the server-sent events of <see cref="LiveBoard"/>, pause and resume of
/// a call's recording, and live listening over a WebSocket (<see cref="ListenSession"/>).
/// </summary>
internal static class LiveCallRoutes
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/calls/events", EventsAsync);
        routes.MapPost("/api/calls/{id}/recording/{action}", RecordingAsync);
        routes.MapGet("/api/calls/{id}/listen", ListenSession.RunAsync);
    }

    private static async Task<IResult> EventsAsync(HttpContext context, ConsoleGate gate, ConsoleServices services, LiveBoard board)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SuperviseListen).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var client = new LiveBoardClient(principal!, services.Authorizer, services.TeamOf);
        board.Add(client);
        try
        {
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            CancellationToken aborted = context.RequestAborted;
            while (!aborted.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                wait.CancelAfter(Heartbeat);
                string line;
                try
                {
                    line = await client.Events.ReadAsync(wait.Token).ConfigureAwait(false) is { } message ? "data: " + message + "\n\n" : string.Empty;
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    // Nothing happened for a while: a comment keeps proxies from closing the stream.
                    line = ": keep-alive\n\n";
                }

                await response.WriteAsync(line, aborted).ConfigureAwait(false);
                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser left.
        }
        catch (IOException)
        {
            // The connection broke.
        }
        finally
        {
            board.Remove(client);
            client.Close();
        }

        return Results.Empty;
    }

    private static async Task<IResult> RecordingAsync(HttpContext context, string id, string action, ConsoleGate gate, ConsoleServices services, ILogger log)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.RecordingControl).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (action is not ("pause" or "resume"))
        {
            return Results.NotFound();
        }

        ICallControl calls = services.Calls;
        if (calls.Find(id) is not { } call)
        {
            return Results.NotFound(new { error = "no such live call" });
        }

        if (await gate.DemandAsync(context, principal!, AccessAction.RecordingControl, services.ResourceOf(call.Campaign, call.Agent)).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        RecordingActionResult result = action == "pause" ? calls.PauseRecording(id) : calls.ResumeRecording(id);
        log.Information("Console: {User} asked to {Action} the recording of call {CallId}: {Outcome}", principal!.Name, action, id, result.Outcome);
        return result.Succeeded
            ? Results.Json(new { outcome = result.Outcome.ToString(), recording = result.Call is { } after ? LiveCallView.Recording(after.Recording) : null })
            : Results.Json(new { error = $"cannot {action} now ({result.Outcome})" }, statusCode: StatusCodes.Status409Conflict);
    }
}
