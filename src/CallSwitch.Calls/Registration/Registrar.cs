using System.Globalization;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Calls.Registration;

/// <summary>
/// The registrar (RFC 3261 §10.3): keeps each agent's bindings, in memory, with expiry.
/// Bindings are keyed by the authenticated user, never by the Contact's user part (baresip
/// registers <c>1001-0x…</c> as its Contact user). Thread-safe; a REGISTER is applied whole
/// or not at all.
/// </summary>
public sealed class Registrar : IBindingLookup
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a registrar.</summary>
    public Registrar(RegistrarSettings settings, TimeProvider time)
    {
        Settings = settings;
        _time = time;
    }

    /// <summary>The limits in force.</summary>
    public RegistrarSettings Settings { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> RegisteredUsers
    {
        get
        {
            lock (_lock)
            {
                Purge(_time.GetUtcNow());
                return _bindings.Keys.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Binding> GetBindings(string user)
    {
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (!_bindings.TryGetValue(user, out var list))
            {
                return [];
            }

            list.RemoveAll(b => b.ExpiresAt <= now);
            if (list.Count == 0)
            {
                _bindings.Remove(user);
                return [];
            }

            return list.OrderByDescending(b => b.Q).ThenByDescending(b => b.RegisteredAt).ToArray();
        }
    }

    /// <summary>
    /// Applies a REGISTER from an authenticated <paramref name="user"/> received on <paramref name="flow"/>.
    /// </summary>
    public RegistrarResult Register(SipRequest request, SipFlow flow, string user)
    {
        // RFC 3261 §10.3 step 3 (authorization): an agent registers its own address only.
        NameAddress? to = request.To;
        string? toUser = (to?.Uri as SipUri)?.UserUnescaped;
        if (to is null || toUser is null)
        {
            return Fail(400, "Missing or malformed To");
        }

        if (!string.Equals(toUser, user, StringComparison.Ordinal))
        {
            return Fail(403, "Not allowed to register this address");
        }

        if (request.CallId is not { Length: > 0 } callId || request.CSeq is not { } cseq)
        {
            return Fail(400, "Missing Call-ID or CSeq");
        }

        int contactValues = request.Headers.GetValues(HeaderId.Contact).Count;
        List<ContactHeader> contacts = request.GetContacts();
        if (contacts.Count != contactValues)
        {
            return Fail(400, "Malformed Contact");
        }

        int? headerExpires = ParseExpires(request.Headers[HeaderId.Expires]);
        DateTimeOffset now = _time.GetUtcNow();
        string? userAgent = request.Headers[HeaderId.UserAgent];

        lock (_lock)
        {
            Purge(now);
            List<Binding> current = _bindings.TryGetValue(user, out var existing) ? existing : [];
            if (contacts.Count == 0)
            {
                return Ok(current);
            }

            if (contacts.Any(c => c.IsStar))
            {
                // RFC 3261 §10.3 step 6: "*" only alone and with Expires: 0.
                if (contacts.Count != 1 || headerExpires != 0)
                {
                    return Fail(400, "Wildcard Contact needs Expires: 0 and no other Contact");
                }

                // A binding made by this Call-ID is removed only by a higher CSeq.
                var kept = current.Where(b => b.CallId == callId && cseq.Number <= b.CSeq).ToList();
                Commit(user, kept);
                return Ok(kept);
            }

            var next = new List<Binding>(current);
            foreach (ContactHeader contact in contacts)
            {
                NameAddress address = contact.Address!;
                int expires = contact.Expires ?? headerExpires ?? Settings.DefaultExpires;
                if (expires != 0 && expires < Settings.MinExpires)
                {
                    return new RegistrarResult(423, "Interval Too Brief", [], Settings.MinExpires);
                }

                expires = Math.Min(expires, Settings.MaxExpires);
                int index = next.FindIndex(b => SameContact(b.Contact, address));
                if (index >= 0)
                {
                    Binding old = next[index];
                    if (old.CallId == callId && cseq.Number <= old.CSeq)
                    {
                        return Fail(500, "Out of order REGISTER");
                    }

                    next.RemoveAt(index);
                }

                if (expires > 0)
                {
                    var stored = address.Clone();
                    stored.Parameters.Remove("expires");
                    next.Add(new Binding(
                        user,
                        stored.Uri.ToString()!,
                        stored,
                        now.AddSeconds(expires),
                        callId,
                        cseq.Number,
                        flow,
                        contact.Q ?? 1.0,
                        userAgent,
                        now));
                }
            }

            if (next.Count > Settings.MaxContactsPerUser)
            {
                return Fail(403, "Too many contacts");
            }

            Commit(user, next);
            return Ok(next);
        }
    }

    /// <summary>Writes the Contact values of a 200 to REGISTER: each binding with its remaining expires.</summary>
    public IEnumerable<string> ContactValues(IEnumerable<Binding> bindings)
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (Binding binding in bindings)
        {
            var address = binding.Contact.Clone();
            address.Parameters.Set("expires", binding.SecondsLeft(now).ToString(CultureInfo.InvariantCulture));
            yield return address.ToString();
        }
    }

    private static bool SameContact(NameAddress a, NameAddress b) =>
        a.Uri is SipUri sa && b.Uri is SipUri sb ? sa.IsEquivalentTo(sb) : string.Equals(a.Uri.ToString(), b.Uri.ToString(), StringComparison.Ordinal);

    private static int? ParseExpires(string? value) =>
        value is not null && int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : null;

    private static RegistrarResult Fail(int code, string reason) => new(code, reason, []);

    private static RegistrarResult Ok(List<Binding> bindings) => new(200, "OK", bindings.ToArray());

    private void Commit(string user, List<Binding> bindings)
    {
        if (bindings.Count == 0)
        {
            _bindings.Remove(user);
        }
        else
        {
            _bindings[user] = bindings;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        List<string>? empty = null;
        foreach (var (user, list) in _bindings)
        {
            list.RemoveAll(b => b.ExpiresAt <= now);
            if (list.Count == 0)
            {
                (empty ??= []).Add(user);
            }
        }

        empty?.ForEach(u => _bindings.Remove(u));
    }
}
