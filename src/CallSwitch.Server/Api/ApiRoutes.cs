using System.Globalization;
using CallSwitch.Calls.Control;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ILogger = Serilog.ILogger;

namespace CallSwitch.Server.Api;

/// <summary>
/// The API's routes. Status codes: 200 done (or already so: <c>changed</c> false); 400 an
/// unknown action; 401 no or wrong token; 403 an agent the client may not act for (decided by the
/// authorisation service, the client acting as <see cref="ApiPrincipal"/>; audited); 404 no such
/// call (or one the client may not see), or the agent has no answered call; 409 the recording is
/// not in a state the action applies to (pause when not recording, start outside on-demand
/// mode, anything after a refusal), or the agent has several answered calls; 429 the address is
/// blocked after too many wrong tokens.
/// </summary>
internal sealed class ApiRoutes
{
    private const string ClientKey = "callswitch.api.client";
    private readonly ApiClientAuthenticator _auth;
    private readonly ICallControl _calls;
    private readonly SwitchAccess _access;
    private readonly ILogger _log;

    public ApiRoutes(ApiClientAuthenticator auth, ICallControl calls, SwitchAccess access, ILogger log)
    {
        _auth = auth;
        _calls = calls;
        _access = access;
        _log = log;
    }

    /// <summary>The largest request body accepted (no route needs one; a CRM may send an empty JSON object).</summary>
    public const int MaxBodyBytes = 4 * 1024;

    public void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1");
        api.AddEndpointFilter(async (context, next) =>
        {
            HttpContext http = context.HttpContext;

            // Kestrel enforces its body limit only on reading, and no route reads: refuse by the declared length.
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"request bodies are limited to {MaxBodyBytes} bytes");
            }

            IResult? refused = Authenticate(http);
            if (refused is not null)
            {
                return refused;
            }

            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log.Error(e, "API {Method} {Path} by {Client} failed", http.Request.Method, http.Request.Path.Value, ClientOf(http).Id);
                return Error(StatusCodes.Status500InternalServerError, "internal error; see the switch's log");
            }
        });
        api.MapGet("/calls", (HttpContext http, string? agent) => ListCalls(ClientOf(http), agent));
        api.MapGet("/calls/{id}", (HttpContext http, string id) => GetCall(ClientOf(http), id));
        api.MapPost("/calls/{id}/recording/{action}", (HttpContext http, string id, string action) => ActOnCall(ClientOf(http), id, action));
        api.MapPost("/agents/{extension}/recording/{action}", (HttpContext http, string extension, string action) => ActForAgentAsync(ClientOf(http), extension, action, http.RequestAborted));
    }

    private static ApiClientConfig ClientOf(HttpContext http) => (ApiClientConfig)http.Items[ClientKey]!;

    private IResult? Authenticate(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        ApiAuthResult result = _auth.Authenticate(http.Request.Headers.Authorization.FirstOrDefault(), remote);
        switch (result.Outcome)
        {
            case ApiAuthOutcome.Accepted:
                http.Items[ClientKey] = result.Client;
                return null;
            case ApiAuthOutcome.Blocked:
                _log.Warning("API request from {Remote} refused: blocked after too many wrong tokens", remote);
                http.Response.Headers.RetryAfter = "300";
                return Error(StatusCodes.Status429TooManyRequests, "too many wrong tokens from this address; try again later");
            case ApiAuthOutcome.Missing:
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"callswitch\"";
                return Error(StatusCodes.Status401Unauthorized, "a bearer token is required (Authorization: Bearer TOKEN)");
            default:
                _log.Warning("API request from {Remote} refused: wrong token", remote);
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"callswitch\", error=\"invalid_token\"";
                return Error(StatusCodes.Status401Unauthorized, "the token is not valid");
        }
    }

    private IResult ListCalls(ApiClientConfig client, string? agent)
    {
        CallView[] calls = _calls.List()
            .Where(c => (agent is null || c.Agent == agent) && MayControl(client, c))
            .Select(View)
            .ToArray();
        return Results.Json(new { calls });
    }

    private IResult GetCall(ApiClientConfig client, string id) =>
        FindVisible(client, id) is { } call ? Results.Json(View(call)) : Error(StatusCodes.Status404NotFound, $"no call {id}");

    private IResult ActOnCall(ApiClientConfig client, string id, string actionText)
    {
        if (!RecordingActions.TryParse(actionText, out RecordingAction action))
        {
            return UnknownAction(actionText);
        }

        return FindVisible(client, id) is { } call ? Act(client, call, action) : Error(StatusCodes.Status404NotFound, $"no call {id}");
    }

    private async Task<IResult> ActForAgentAsync(ApiClientConfig client, string extension, string actionText, CancellationToken cancellationToken)
    {
        if (!RecordingActions.TryParse(actionText, out RecordingAction action))
        {
            return UnknownAction(actionText);
        }

        AccessDecision decision = await _access.CheckAsync(ApiPrincipal.Of(client), AccessAction.RecordingControl, _access.CallOf(null, extension), cancellationToken)
            .ConfigureAwait(false);
        if (!decision.Allowed)
        {
            _log.Warning("API client {Client} may not act for agent {Agent} ({Action} refused): {Reason}", client.Id, extension, RecordingActions.Name(action), decision.Reason);
            return Error(StatusCodes.Status403Forbidden, $"this client may not act for agent {extension}");
        }

        IReadOnlyList<LiveCallSnapshot> answered = _calls.AnsweredCallsOf(extension);
        return answered.Count switch
        {
            0 => Error(StatusCodes.Status404NotFound, $"agent {extension} has no answered call"),
            1 => Act(client, answered[0], action),
            _ => Results.Json(
                new { error = $"agent {extension} has {answered.Count} answered calls; act on one by its id", calls = answered.Select(c => c.Id).ToArray() },
                statusCode: StatusCodes.Status409Conflict),
        };
    }

    private IResult Act(ApiClientConfig client, LiveCallSnapshot call, RecordingAction action)
    {
        RecordingActionResult result = RecordingActions.Apply(_calls, call.Id, action);
        if (result.Call is not { } after)
        {
            // It ended between the look-up and the action.
            return Error(StatusCodes.Status404NotFound, $"no call {call.Id}");
        }

        bool changed = result.Outcome == RecordingActionOutcome.Done;
        string state = RecordingActions.State(after);
        _log.Information(
            "API client {Client}: {Action} recording of call {CallId} (agent {Agent}): {Outcome}, recording {State}",
            client.Id,
            RecordingActions.Name(action),
            after.Id,
            after.Agent,
            changed ? "done" : result.Succeeded ? "already so" : "refused",
            state);
        var body = new { callId = after.Id, action = RecordingActions.Name(action), changed, recording = state };
        return result.Succeeded
            ? Results.Json(body)
            : Results.Json(body, statusCode: StatusCodes.Status409Conflict);
    }

    private LiveCallSnapshot? FindVisible(ApiClientConfig client, string id) =>
        _calls.Find(id) is { } call && MayControl(client, call) ? call : null;

    // Seeing a call is controlling it: a client sees the calls it may act on and no other (not audited:
    // a call it may not see answers 404, as one that does not exist).
    private bool MayControl(ApiClientConfig client, LiveCallSnapshot call) =>
        _access.Authorizer.Decide(ApiPrincipal.Of(client), AccessAction.RecordingControl, _access.CallOf(call.Campaign, call.Agent)).Allowed;

    private static CallView View(LiveCallSnapshot call) => new(
        call.Id,
        call.Agent,
        call.Campaign,
        call.Direction == CallDirection.Inbound ? "inbound" : "outbound",
        call.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        call.AnsweredAt?.ToString("O", CultureInfo.InvariantCulture),
        RecordingActions.State(call));

    private static IResult UnknownAction(string action) =>
        Error(StatusCodes.Status400BadRequest, $"unknown recording action '{action}'; use start, pause, resume or oppose");

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    /// <summary>A live call as the API shows it: no prospect number.</summary>
    private sealed record CallView(string Id, string Agent, string? Campaign, string Direction, string StartedAt, string? AnsweredAt, string Recording);
}
