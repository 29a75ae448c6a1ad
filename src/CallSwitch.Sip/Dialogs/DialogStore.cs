using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Dialogs;

/// <summary>
/// The dialogs of a UA, found by dialog id (RFC 3261 §12.2.2: an incoming request's local tag
/// is its To tag and remote tag its From tag; a response's are the other way round).
/// Thread-safe: called from transport threads and the TU concurrently.
/// </summary>
public sealed class DialogStore
{
    private readonly ConcurrentDictionary<DialogId, Dialog> _dialogs = new();

    /// <summary>The number of dialogs held.</summary>
    public int Count => _dialogs.Count;

    /// <summary>Adds a dialog; false when one with the same id is already there.</summary>
    public bool TryAdd(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return _dialogs.TryAdd(dialog.Id, dialog);
    }

    /// <summary>Finds a dialog by id.</summary>
    public bool TryGet(DialogId id, [NotNullWhen(true)] out Dialog? dialog) => _dialogs.TryGetValue(id, out dialog);

    /// <summary>The dialog an incoming request belongs to (§12.2.2), or null (a request outside a dialog, or 481).</summary>
    public Dialog? FindForRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? callId = request.CallId;
        string? localTag = request.To?.Tag;
        if (callId is null || localTag is null)
        {
            return null;
        }

        return _dialogs.TryGetValue(new DialogId(callId, localTag, request.From?.Tag ?? string.Empty), out var dialog) ? dialog : null;
    }

    /// <summary>The dialog a response to one of our requests belongs to, or null.</summary>
    public Dialog? FindForResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? callId = response.CallId;
        string? localTag = response.From?.Tag;
        if (callId is null || localTag is null)
        {
            return null;
        }

        return _dialogs.TryGetValue(new DialogId(callId, localTag, response.To?.Tag ?? string.Empty), out var dialog) ? dialog : null;
    }

    /// <summary>Terminates a dialog and removes it; false when it was not held.</summary>
    public bool Remove(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        dialog.Terminate();
        return _dialogs.TryRemove(new KeyValuePair<DialogId, Dialog>(dialog.Id, dialog));
    }
}
