using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Mixing;
using CallSwitch.Server.WebConsole.Security;
using Microsoft.AspNetCore.Http;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.WebConsole.Live;

/// <summary>
/// Listening to a live call in the browser: the call's listen feed (<see cref="ListenFeed"/>)
/// over a WebSocket, PCM 16-bit little-endian at 8 kHz, which the page plays with Web Audio.
/// Decided by the authorisation service (listen, in the user's scope; a refusal is audited) and
/// audited from start to end with its duration, like a supervisor's session from a softphone.
/// </summary>
/// <remarks>
/// The WebSocket handshake carries the session cookie (SameSite=Strict) and must come from the
/// console's own page (its Origin is checked): another site cannot open it in the user's name.
/// </remarks>
internal static class ListenSession
{
    public static async Task<IResult> RunAsync(HttpContext context, string id, ConsoleGate gate, ConsoleServices services, ILogger log)
    {
        (Principal? principal, IResult? refusal) = await gate.EnterAsync(context, AccessAction.SuperviseListen).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.BadRequest(new { error = "a WebSocket is expected" });
        }

        if (!FromOwnPage(context))
        {
            return Results.Json(new { error = "not from the console's page" }, statusCode: StatusCodes.Status403Forbidden);
        }

        ICallControl calls = services.Calls;
        if (calls.Find(id) is not { } call)
        {
            return Results.NotFound(new { error = "no such live call" });
        }

        if (await gate.DemandAsync(context, principal!, AccessAction.SuperviseListen, services.ResourceOf(call.Campaign, call.Agent)).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var feed = new ListenFeed();
        IDisposable? attached = calls.AttachListenFeed(id, feed);
        if (attached is null)
        {
            return Results.Json(new { error = "the call is not connected, or its audio cannot be mixed" }, statusCode: StatusCodes.Status409Conflict);
        }

        Action<LiveCallChange> ended = change =>
        {
            if (change.Kind == LiveCallChangeKind.Removed && change.Call.Id == id)
            {
                feed.Complete();
            }
        };
        calls.Changed += ended;
        DateTimeOffset started = services.Time.GetUtcNow();
        string detail = $"call={id} agent={call.Agent} mode=listen via=console";
        try
        {
            await AuditAsync(services, principal!.Name, AuditAction.SupervisionStarted, detail).ConfigureAwait(false);
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            string why = await PumpAsync(socket, feed, calls, id, context.RequestAborted).ConfigureAwait(false);
            long ms = (long)(services.Time.GetUtcNow() - started).TotalMilliseconds;
            await AuditAsync(services, principal.Name, AuditAction.SupervisionEnded, FormattableString.Invariant($"{detail} duration_ms={ms} end={why} dropped={feed.Dropped}"))
                .ConfigureAwait(false);
        }
        finally
        {
            calls.Changed -= ended;
            attached.Dispose();
            feed.Complete();
            while (feed.Messages.TryRead(out byte[]? left))
            {
                ArrayPool<byte>.Shared.Return(left);
            }
        }

        log.Information("Console: {User} stopped listening to call {CallId}", principal.Name, id);
        return Results.Empty;
    }

    /// <summary>The Origin of the handshake is this very site (scheme, host and port as the browser saw them).</summary>
    private static bool FromOwnPage(HttpContext context)
    {
        string origin = context.Request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sends the format, then the feed's messages, until the call ends or the browser closes; returns why it stopped.</summary>
    private static async Task<string> PumpAsync(WebSocket socket, ListenFeed feed, ICallControl calls, string id, CancellationToken aborted)
    {
        byte[] format = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{{\"sampleRate\":{SupervisionMixer.SampleRate},\"channels\":1,\"format\":\"s16le\"}}"));
        await socket.SendAsync(format, WebSocketMessageType.Text, endOfMessage: true, aborted).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        Task<string> closed = WatchCloseAsync(socket, stop.Token);
        try
        {
            while (!closed.IsCompleted)
            {
                Task<bool> ready = feed.Messages.WaitToReadAsync(stop.Token).AsTask();
                if (await Task.WhenAny(ready, closed).ConfigureAwait(false) == closed || !await ready.ConfigureAwait(false))
                {
                    break;
                }

                while (feed.Messages.TryRead(out byte[]? message))
                {
                    try
                    {
                        await socket.SendAsync(message.AsMemory(0, ListenFeed.MessageBytes), WebSocketMessageType.Binary, endOfMessage: true, stop.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(message);
                    }
                }
            }

            string why = closed.IsCompleted ? await closed.ConfigureAwait(false) : calls.Find(id) is null ? "call ended" : "feed stopped";
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, why, CancellationToken.None).ConfigureAwait(false);
            }

            return why;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return "connection lost";
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads (and ignores) what the browser sends until it closes.</summary>
    private static async Task<string> WatchCloseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[256];
        try
        {
            while (true)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return "listener stopped";
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return "connection lost";
        }
    }

    private static async Task AuditAsync(ConsoleServices services, string actor, AuditAction action, string detail) =>
        await services.Store.AppendAuditAsync(new AuditEvent(services.Time.GetUtcNow(), actor, action, null, SupervisionAudit.Purpose, detail)).ConfigureAwait(false);
}
