namespace CallSwitch.Sip.Auth;

/// <summary>Outcome class of <see cref="DigestClient.Answer"/>.</summary>
public enum DigestClientStatus
{
    /// <summary>Credentials were produced: resend the request with them.</summary>
    Answered,

    /// <summary>
    /// The server said our nonce was stale (<c>stale=true</c>): credentials for the new nonce were
    /// produced. Not a password failure, even if the previous request carried credentials.
    /// </summary>
    AnsweredStale,

    /// <summary>
    /// The previous request already carried credentials and the server challenged again without
    /// <c>stale=true</c>: the password (or user name) is wrong. Do not retry.
    /// </summary>
    Rejected,

    /// <summary>No challenge used the Digest scheme with an algorithm and qop we support.</summary>
    NoUsableChallenge,
}
