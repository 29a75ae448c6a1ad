namespace CallSwitch.Sip.Dialogs;

/// <summary>
/// The dialog identifier (RFC 3261 §12): Call-ID, local tag and remote tag, compared exactly.
/// A missing tag (an RFC 2543 peer) is the empty string.
/// </summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag)
{
    /// <inheritdoc />
    public override string ToString() => $"{CallId};local={LocalTag};remote={RemoteTag}";
}
