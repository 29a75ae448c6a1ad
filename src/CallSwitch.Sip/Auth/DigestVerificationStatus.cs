namespace CallSwitch.Sip.Auth;

/// <summary>Outcome class of <see cref="DigestServer.Verify(string, ReadOnlySpan{char}, IDigestCredentialStore)"/>.</summary>
public enum DigestVerificationStatus
{
    /// <summary>Authenticated; the request may proceed.</summary>
    Ok,

    /// <summary>
    /// The response proves knowledge of the password but the nonce can no longer be used
    /// (expired, from before a restart, or its nc was replayed/reordered). Answer 401/407 with
    /// <c>stale=true</c>; this is not an authentication failure.
    /// </summary>
    Stale,

    /// <summary>
    /// Authentication failed (wrong password or unknown user – deliberately indistinguishable –,
    /// foreign realm, unsupported algorithm or qop). Answer with a fresh challenge and count the
    /// failure against the source.
    /// </summary>
    Failed,

    /// <summary>The credentials value could not be parsed or lacks required parameters. Answer 400 or a fresh challenge.</summary>
    Malformed,
}
