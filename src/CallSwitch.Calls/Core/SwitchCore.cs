using CallSwitch.Calls.Auth;
using CallSwitch.Calls.Registration;
using CallSwitch.Calls.Routing;
using CallSwitch.Calls.Sessions;
using CallSwitch.Calls.Supervision;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Core;

/// <summary>
/// The switch's transaction user: answers every request that opens a server transaction.
/// OPTIONS gets 200; REGISTER is authenticated (401) and bound; INVITE is authenticated (407)
/// and, until call routing exists, refused with a clear status; everything else gets the
/// status RFC 3261 prescribes (481 out of a dialog, 405 with Allow, 501 for unknown methods).
/// Called on transport and timer threads; it never blocks them.
/// </summary>
public sealed class SwitchCore : ISipTransactionUser
{
    /// <summary>The methods this switch serves, for Allow headers.</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, UPDATE";

    private readonly AgentAuthenticator _authenticator;
    private readonly Registrar _registrar;
    private readonly SipRequestValidator _validator;
    private readonly string _serverName;
    private readonly ILogger _log;

    private readonly CallRouter? _router;
    private readonly CallContext? _calls;
    private SupervisorCalls? _supervision;

    /// <summary>Creates the core; without a router and call context, INVITEs are refused with a clear status.</summary>
    public SwitchCore(AgentAuthenticator authenticator, Registrar registrar, string serverName, ILogger log, CallRouter? router = null, CallContext? calls = null)
    {
        _authenticator = authenticator;
        _registrar = registrar;
        _router = router;
        _calls = calls;
        _validator = new SipRequestValidator(SipValidatorOptions.Default with
        {
            AllowedMethods = new HashSet<string>(AllowedMethods.Split(", "), StringComparer.Ordinal),
            WarningAgent = serverName,
        });
        _serverName = serverName;
        _log = log.ForContext<SwitchCore>();
    }

    /// <summary>
    /// Turns supervision on: authenticated INVITEs to a supervision code go to
    /// <paramref name="supervision"/>, and so do the requests of its dialogs. Call once, at start.
    /// </summary>
    public void EnableSupervision(SupervisorCalls supervision) => _supervision = supervision ?? throw new ArgumentNullException(nameof(supervision));

    /// <summary>Raised after a binding changed (for logs and tests): user, contact count.</summary>
    public event Action<string, int>? RegistrationChanged;

    /// <inheritdoc />
    public void OnRequest(ServerTransaction transaction)
    {
        SipRequest request = transaction.Request;
        ILogger log = _log.ForContext("CallId", request.CallId).ForContext("Method", request.Method).ForContext("Source", transaction.Flow.Remote);
        try
        {
            SipValidationResult validation = _validator.Validate(request);
            if (!validation.IsValid)
            {
                log.Information("Refusing {Method} from {Source}: {Status} {Reason}", request.Method, transaction.Flow.Remote, validation.StatusCode, validation.Reason);
                Respond(transaction, validation.StatusCode, validation.Reason, validation.ExtraHeaders.Select(h => (h.Id, h.Value)));
                return;
            }

            if (request.To?.Tag is not null && request.Method != SipMethods.Register)
            {
                // RFC 3261 §12.2.2: a request inside a dialog goes to the call that owns it.
                if (_calls?.Registry.Find(request.CallId) is { } call)
                {
                    call.OnRequest(transaction);
                }
                else if (_supervision?.TryHandle(transaction) == true)
                {
                    // A supervisor's dialog: BYE, keys by INFO, re-INVITE.
                }
                else
                {
                    Respond(transaction, 481, null);
                }

                return;
            }

            switch (request.Method)
            {
                case SipMethods.Options:
                    Respond(transaction, 200, null, OptionsHeaders());
                    break;
                case SipMethods.Register:
                    HandleRegister(transaction, log);
                    break;
                case SipMethods.Invite:
                    HandleInvite(transaction, log);
                    break;
                case SipMethods.Bye or SipMethods.Update or SipMethods.Info:
                    // No dialogs exist yet that these could belong to (RFC 3261 §12.2.2).
                    Respond(transaction, 481, null);
                    break;
                default:
                    int code = SipMethods.IsKnown(request.Method) ? 405 : 501;
                    Respond(transaction, code, null, [(HeaderId.Allow, AllowedMethods)]);
                    break;
            }
        }
        catch (Exception e)
        {
            // A bug must cost one request, never the transport thread.
            log.Error(e, "Failed to handle {Method} from {Source}", request.Method, transaction.Flow.Remote);
            Respond(transaction, 500, "Server Internal Error");
        }
    }

    /// <inheritdoc />
    public void OnCancel(InviteServerTransaction invite, SipRequest cancel)
    {
        if (_calls?.Registry.Find(invite.Request.CallId) is { } call)
        {
            call.OnCancel();
            return;
        }

        _log.ForContext("CallId", invite.Request.CallId).Information("INVITE cancelled by {Source}", invite.Flow.Remote);
        Respond(invite, 487, null);
    }

    /// <inheritdoc />
    public void OnAck(SipRequest ack, SipFlow flow)
    {
        if (_calls?.Registry.Find(ack.CallId) is { } call)
        {
            call.OnAck(ack);
            return;
        }

        if (_supervision?.TryAck(ack) == true)
        {
            return;
        }

        _log.ForContext("CallId", ack.CallId).Debug("ACK without a dialog from {Source} absorbed", flow.Remote);
    }

    /// <inheritdoc />
    public void OnStrayResponse(SipResponse response, SipFlow flow) =>
        _log.ForContext("CallId", response.CallId).Debug("Stray {Status} response from {Source} dropped", response.StatusCode, flow.Remote);

    private void HandleRegister(ServerTransaction transaction, ILogger log)
    {
        SipRequest request = transaction.Request;
        AuthDecision auth = _authenticator.Authenticate(request, transaction.Flow);
        if (!auth.IsAuthenticated)
        {
            RespondAuth(transaction, auth);
            return;
        }

        RegistrarResult result = _registrar.Register(request, transaction.Flow, auth.User!);
        var headers = new List<(HeaderId, string)>();
        if (result.IsSuccess)
        {
            headers.AddRange(_registrar.ContactValues(result.Bindings).Select(c => (HeaderId.Contact, c)));
            headers.Add((HeaderId.Date, DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture)));
            log.Information("{User} registered from {Source}: {Contacts} contact(s)", auth.User, transaction.Flow.Remote, result.Bindings.Count);
            RegistrationChanged?.Invoke(auth.User!, result.Bindings.Count);
        }
        else
        {
            log.Information("REGISTER of {User} from {Source} refused: {Status} {Reason}", auth.User, transaction.Flow.Remote, result.StatusCode, result.Reason);
            if (result.MinExpires is int min)
            {
                headers.Add((HeaderId.MinExpires, min.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        Respond(transaction, result.StatusCode, result.Reason, headers);
    }

    private void HandleInvite(ServerTransaction transaction, ILogger log)
    {
        RouteDecision decision;
        string from;
        if (_router?.FindTrunk(transaction.Flow) is { } trunk)
        {
            // A carrier's call to one of our numbers: the trunk is trusted by its address.
            from = trunk.ToString();
            decision = _router.RouteInbound(transaction.Request, trunk);
        }
        else
        {
            AuthDecision auth = _authenticator.Authenticate(transaction.Request, transaction.Flow);
            if (!auth.IsAuthenticated)
            {
                RespondAuth(transaction, auth);
                return;
            }

            from = auth.User!;
            if (_supervision?.TryStart((InviteServerTransaction)transaction, from) == true)
            {
                return;
            }

            if (_router is null || _calls is null)
            {
                log.Information("INVITE from {User} to {Target} refused: no call routing configured", from, MaskedTarget(transaction.Request));
                Respond(transaction, 480, "No Route Configured", [(HeaderId.Warning, Warning("Call routing is not configured on this switch"))]);
                return;
            }

            decision = _router.RouteOutbound(transaction.Request, from);
        }

        if (decision.Plan is null || _calls is null)
        {
            if (decision.Detail is { } detail)
            {
                log.Information("INVITE from {From} to {Target} refused: {Status} {Reason}: {Detail}", from, MaskedTarget(transaction.Request), decision.Status, decision.Reason, detail);
                Respond(transaction, decision.Plan is null ? decision.Status : 480, decision.Reason, [(HeaderId.Warning, Warning(detail))]);
            }
            else
            {
                log.Information("INVITE from {From} to {Target} refused: {Status} {Reason}", from, MaskedTarget(transaction.Request), decision.Status, decision.Reason);
                Respond(transaction, decision.Plan is null ? decision.Status : 480, decision.Reason);
            }

            return;
        }

        B2buaCall.Start(_calls, (InviteServerTransaction)transaction, decision.Plan);
    }

    /// <summary>The Request-URI for a log line: its user part is the dialled number, so it is masked.</summary>
    private static string MaskedTarget(SipRequest request)
    {
        switch (request.Uri)
        {
            case SipUri { User: { Length: > 0 } user } uri:
                SipUri masked = uri.Clone();
                masked.User = PhoneNumberMask.Mask(user);
                return masked.ToString();
            case SipUri uri:
                return uri.ToString();
            case TelUri tel:
                return "tel:" + PhoneNumberMask.Mask(tel.Digits);
            default:
                return PhoneNumberMask.Mask(request.RequestUri);
        }
    }

    /// <summary>A Warning header value (RFC 3261 §20.43): code 399 (miscellaneous), our name as the agent, the text quoted.</summary>
    private string Warning(string text) =>
        $"399 {_serverName} \"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    private void RespondAuth(ServerTransaction transaction, AuthDecision auth) =>
        Respond(transaction, auth.StatusCode, auth.Reason, auth.Challenges.Select(c => (auth.ChallengeHeader, c)));

    private IEnumerable<(HeaderId, string)> OptionsHeaders() =>
    [
        (HeaderId.Allow, AllowedMethods),
        (HeaderId.Accept, "application/sdp"),
        (HeaderId.AcceptEncoding, "identity"),
        (HeaderId.AcceptLanguage, "en"),
    ];

    private void Respond(ServerTransaction transaction, int code, string? reason, IEnumerable<(HeaderId Id, string Value)>? headers = null)
    {
        SipResponse response = transaction.CreateResponse(code, reason);
        response.Headers.Add(HeaderId.Server, _serverName);
        foreach (var (id, value) in headers ?? [])
        {
            response.Headers.Add(id, value);
        }

        if (!response.Headers.Contains(HeaderId.ContentLength))
        {
            response.Headers.Add(HeaderId.ContentLength, "0");
        }

        _ = SendAsync(transaction, response);
    }

    private async Task SendAsync(ServerTransaction transaction, SipResponse response)
    {
        try
        {
            await transaction.SendResponseAsync(response).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipTransportException or InvalidOperationException)
        {
            _log.ForContext("CallId", response.CallId).Warning("Could not send {Status} to {Destination}: {Error}", response.StatusCode, transaction.Flow.Remote, e.Message);
        }
    }
}
