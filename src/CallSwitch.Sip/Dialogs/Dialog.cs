using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Sip.Dialogs;

/// <summary>
/// A dialog (RFC 3261 §12): the peer-to-peer state between two UAs. Created by
/// <see cref="CreateAsUac"/> from a response with a To tag, or by <see cref="CreateAsUas"/> from a
/// request and the response we send. Thread-safe: every member may be called from any thread.
/// </summary>
public sealed class Dialog
{
    private readonly object _sync = new();
    private DialogState _state;
    private uint? _localSequence;
    private uint? _remoteSequence;
    private AddressUri _remoteTarget;
    private NameAddress[] _routeSet;

    private Dialog(DialogId id, bool isUac, DialogState state, NameAddress localUri, NameAddress remoteUri, AddressUri remoteTarget, NameAddress[] routeSet, bool secure)
    {
        Id = id;
        IsUac = isUac;
        _state = state;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        _remoteTarget = remoteTarget;
        _routeSet = routeSet;
        IsSecure = secure;
    }

    /// <summary>The dialog id.</summary>
    public DialogId Id { get; }

    /// <summary>True when we created the dialog as UAC (we sent the dialog-creating request).</summary>
    public bool IsUac { get; }

    /// <summary>The local URI (From of our requests), without tag.</summary>
    public NameAddress LocalUri { get; }

    /// <summary>The remote URI (To of our requests), without tag.</summary>
    public NameAddress RemoteUri { get; }

    /// <summary>The secure flag (§12.1.1, §12.1.2): a sips Request-URI over TLS.</summary>
    public bool IsSecure { get; }

    /// <summary>The Contact value put in target refresh requests we send (INVITE, UPDATE, SUBSCRIBE, NOTIFY, REFER), or null.</summary>
    public string? LocalContact { get; set; }

    /// <summary>The state.</summary>
    public DialogState State
    {
        get
        {
            lock (_sync)
            {
                return _state;
            }
        }
    }

    /// <summary>The local CSeq number, or null while empty (a UAS that has sent nothing).</summary>
    public uint? LocalSequence
    {
        get
        {
            lock (_sync)
            {
                return _localSequence;
            }
        }
    }

    /// <summary>The remote CSeq number, or null while empty (a UAC that has received no request).</summary>
    public uint? RemoteSequence
    {
        get
        {
            lock (_sync)
            {
                return _remoteSequence;
            }
        }
    }

    /// <summary>The remote target: the peer's Contact URI, the Request-URI of our requests.</summary>
    public AddressUri RemoteTarget
    {
        get
        {
            lock (_sync)
            {
                return _remoteTarget;
            }
        }
    }

    /// <summary>The route set in the order the Route header of our requests lists it.</summary>
    public IReadOnlyList<NameAddress> RouteSet
    {
        get
        {
            lock (_sync)
            {
                return _routeSet;
            }
        }
    }

    /// <summary>
    /// RFC 3261 §12.1.2: the UAC side, from the request we sent and a 101-199 response with a To
    /// tag (early) or a 2xx (confirmed; a missing To tag is allowed for RFC 2543 peers). The route
    /// set is the Record-Route of the response reversed; the remote target its Contact.
    /// </summary>
    /// <param name="request">The dialog-creating request we sent.</param>
    /// <param name="response">The response that creates the dialog.</param>
    /// <param name="flow">The flow the request went on; with it, the secure flag also needs TLS.</param>
    public static Dialog CreateAsUac(SipRequest request, SipResponse response, SipFlow? flow = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is <= 100 or >= 300)
        {
            throw new ArgumentException("Only a 101-299 response creates a dialog.", nameof(response));
        }

        string? remoteTag = response.To?.Tag;
        if (response.IsProvisional && remoteTag is null)
        {
            throw new ArgumentException("A provisional response creates a dialog only with a To tag (§12.1).", nameof(response));
        }

        var id = new DialogId(Require(request.CallId, "Call-ID"), Require(request.From?.Tag, "From tag"), remoteTag ?? string.Empty);
        var routes = ParseRoutes(response, HeaderId.RecordRoute);
        routes.Reverse();
        var dialog = new Dialog(
            id,
            isUac: true,
            response.IsSuccess ? DialogState.Confirmed : DialogState.Early,
            WithoutTag(request.From!),
            WithoutTag(Require(request.To, "To")),
            ContactUri(response) ?? Require(request.Uri, "Request-URI"),
            [.. routes],
            IsSips(request) && (flow is null || flow.Value.Protocol == SipProtocol.Tls));
        dialog._localSequence = request.CSeq?.Number;
        return dialog;
    }

    /// <summary>
    /// RFC 3261 §12.1.1: the UAS side, from the request received and the 101-299 response we send
    /// (its To tag is our local tag). The route set is the request's Record-Route in order; the
    /// remote target its Contact; the remote sequence its CSeq; the local sequence is empty.
    /// </summary>
    /// <param name="request">The dialog-creating request received.</param>
    /// <param name="response">The response we send, carrying our To tag.</param>
    /// <param name="flow">The flow the request came on; with it, the secure flag also needs TLS.</param>
    public static Dialog CreateAsUas(SipRequest request, SipResponse response, SipFlow? flow = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is <= 100 or >= 300)
        {
            throw new ArgumentException("Only a 101-299 response creates a dialog.", nameof(response));
        }

        var id = new DialogId(Require(request.CallId, "Call-ID"), Require(response.To?.Tag, "To tag of the response"), request.From?.Tag ?? string.Empty);
        var dialog = new Dialog(
            id,
            isUac: false,
            response.IsSuccess ? DialogState.Confirmed : DialogState.Early,
            WithoutTag(Require(request.To, "To")),
            WithoutTag(Require(request.From, "From")),
            ContactUri(request) ?? Require(request.Uri, "Request-URI"),
            [.. ParseRoutes(request, HeaderId.RecordRoute)],
            IsSips(request) && (flow is null || flow.Value.Protocol == SipProtocol.Tls));
        dialog._remoteSequence = request.CSeq?.Number;
        return dialog;
    }

    /// <summary>
    /// Builds a request within the dialog (RFC 3261 §12.2.1.1): To/From with the tags, Call-ID,
    /// the next local CSeq number, Request-URI and Route from the remote target and route set
    /// (loose or strict routing), Max-Forwards 70 and the local Contact on target refresh
    /// requests. The transaction layer adds the Via. Not for ACK (see <see cref="CreateAck"/>)
    /// nor CANCEL (see the INVITE client transaction).
    /// </summary>
    public SipRequest CreateRequest(string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method is SipMethods.Ack or SipMethods.Cancel)
        {
            throw new ArgumentException("ACK and CANCEL take the CSeq number of the request they refer to.", nameof(method));
        }

        lock (_sync)
        {
            if (_state == DialogState.Terminated)
            {
                throw new InvalidOperationException("The dialog is terminated.");
            }

            // §12.2.1.1: the local sequence number is incremented; an empty one starts per §8.1.1.5.
            _localSequence = _localSequence is uint n ? n + 1 : (uint)RandomNumberGenerator.GetInt32(1, 1 << 20);
            return BuildRequest(method, _localSequence.Value);
        }
    }

    /// <summary>
    /// Builds the ACK for a 2xx to <paramref name="invite"/> (RFC 3261 §13.2.2.4): built like any
    /// in-dialog request, but with the INVITE's CSeq number (method ACK) and its credentials.
    /// Send it with <c>SipTransactionLayer.SendAckAsync</c>, which gives it a new branch.
    /// </summary>
    public SipRequest CreateAck(SipRequest invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        SipRequest ack;
        lock (_sync)
        {
            ack = BuildRequest(SipMethods.Ack, Require(invite.CSeq, "CSeq").Number);
        }

        foreach (var id in new[] { HeaderId.Authorization, HeaderId.ProxyAuthorization })
        {
            foreach (string value in invite.Headers.GetValues(id))
            {
                ack.Headers.Add(id, value);
            }
        }

        return ack;
    }

    /// <summary>
    /// Checks and applies a request received within the dialog (RFC 3261 §12.2.2): false when its
    /// CSeq is lower than the remote sequence number (the TU answers 500); otherwise the remote
    /// sequence number is updated and a target refresh request with a Contact replaces the remote
    /// target. ACK and CANCEL are accepted without touching the sequence.
    /// </summary>
    public bool TryProcessRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is SipMethods.Ack or SipMethods.Cancel)
        {
            return true;
        }

        uint number = Require(request.CSeq, "CSeq").Number;
        AddressUri? contact = IsTargetRefresh(request.Method) ? ContactUri(request) : null;
        lock (_sync)
        {
            if (_remoteSequence is uint remote && number < remote)
            {
                return false;
            }

            _remoteSequence = number;
            if (contact is not null)
            {
                _remoteTarget = contact;
            }

            return true;
        }
    }

    /// <summary>
    /// Applies a response to a request we sent within (or to create) the dialog: a 2xx to an
    /// INVITE confirms an early dialog and recomputes its route set (§13.2.2.4); a 2xx to a target
    /// refresh request replaces the remote target (§12.2.1.2); 481 or 408 terminate the dialog
    /// (§12.2.1.2). Call from the thread that got the response.
    /// </summary>
    public void ProcessResponse(SipRequest request, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        lock (_sync)
        {
            if (_state == DialogState.Terminated)
            {
                return;
            }

            if (response.StatusCode is 481 or 408)
            {
                _state = DialogState.Terminated;
                return;
            }

            if (!response.IsSuccess)
            {
                return;
            }

            if (request.Method == SipMethods.Invite && _state == DialogState.Early && IsUac)
            {
                _state = DialogState.Confirmed;
                var routes = ParseRoutes(response, HeaderId.RecordRoute);
                routes.Reverse();
                _routeSet = [.. routes];
            }

            if (IsTargetRefresh(request.Method) && ContactUri(response) is AddressUri target)
            {
                _remoteTarget = target;
            }
        }
    }

    /// <summary>Moves an early dialog to Confirmed (the UAS sent, or the UAC received, the 2xx).</summary>
    public void Confirm()
    {
        lock (_sync)
        {
            if (_state == DialogState.Early)
            {
                _state = DialogState.Confirmed;
            }
        }
    }

    /// <summary>Ends the dialog (§12.3); further <see cref="CreateRequest"/> calls fail.</summary>
    public void Terminate()
    {
        lock (_sync)
        {
            _state = DialogState.Terminated;
        }
    }

    /// <summary>The methods whose requests and 2xx responses refresh the remote target (RFC 3261 §12.2, RFC 3311, RFC 6665, RFC 3515).</summary>
    public static bool IsTargetRefresh(string method) =>
        method is SipMethods.Invite or SipMethods.Update or SipMethods.Subscribe or SipMethods.Notify or SipMethods.Refer;

    private SipRequest BuildRequest(string method, uint sequence)
    {
        SipRequest request;
        var headers = new List<(HeaderId Id, string Value)>();
        if (_routeSet.Length == 0)
        {
            request = new SipRequest(method, _remoteTarget.ToString()!);
        }
        else if (_routeSet[0].SipUri is { IsLooseRouter: true } || _routeSet[0].SipUri is null)
        {
            // §12.2.1.1: loose routing: Request-URI = remote target, Route = route set.
            request = new SipRequest(method, _remoteTarget.ToString()!);
            foreach (var route in _routeSet)
            {
                headers.Add((HeaderId.Route, route.ToString()));
            }
        }
        else
        {
            // §12.2.1.1: strict routing: the first route becomes the Request-URI (without the
            // parameters a Request-URI may not carry), the rest plus the remote target the Route.
            var first = _routeSet[0].SipUri!.Clone();
            first.UriHeaders = null;
            first.Parameters.Remove("method");
            request = new SipRequest(method, first.ToString());
            for (int i = 1; i < _routeSet.Length; i++)
            {
                headers.Add((HeaderId.Route, _routeSet[i].ToString()));
            }

            headers.Add((HeaderId.Route, "<" + _remoteTarget + ">"));
        }

        var h = request.Headers;
        foreach (var (id, value) in headers)
        {
            h.Add(id, value);
        }

        h.Add(HeaderId.MaxForwards, "70");
        var from = LocalUri.Clone();
        from.Tag = Id.LocalTag;
        h.Add(HeaderId.From, from.ToString());
        var to = RemoteUri.Clone();
        to.Tag = Id.RemoteTag.Length == 0 ? null : Id.RemoteTag;
        h.Add(HeaderId.To, to.ToString());
        h.Add(HeaderId.CallId, Id.CallId);
        h.Add(HeaderId.CSeq, sequence.ToString(CultureInfo.InvariantCulture) + " " + method);
        if (LocalContact is not null && IsTargetRefresh(method))
        {
            h.Add(HeaderId.Contact, LocalContact);
        }

        h.Add(HeaderId.ContentLength, "0");
        return request;
    }

    private static List<NameAddress> ParseRoutes(SipMessage message, HeaderId id)
    {
        var result = new List<NameAddress>();
        foreach (string value in message.Headers.GetValues(id))
        {
            if (NameAddress.TryParse(value, out var address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static AddressUri? ContactUri(SipMessage message)
    {
        var contacts = message.GetContacts();
        return contacts.Count > 0 && contacts[0].Address is NameAddress address ? address.Uri : null;
    }

    private static NameAddress WithoutTag(NameAddress address)
    {
        var copy = address.Clone();
        copy.Tag = null;
        return copy;
    }

    private static bool IsSips(SipRequest request) => request.Uri is SipUri { IsSecure: true };

    private static T Require<T>(T? value, string what)
        where T : class =>
        value ?? throw new ArgumentException($"The message has no usable {what}.");

    private static T Require<T>(T? value, string what)
        where T : struct =>
        value ?? throw new ArgumentException($"The message has no usable {what}.");
}
