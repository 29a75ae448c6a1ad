namespace CallSwitch.Sip.Auth;

/// <summary>Result of <see cref="DigestClient.Answer"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="HeaderValue">The <c>Authorization</c>/<c>Proxy-Authorization</c> value to send, when answered.</param>
/// <param name="Challenge">The challenge chosen among those offered, if any.</param>
/// <param name="Reason">Why nothing was answered, for logs.</param>
public sealed record DigestClientResult(
    DigestClientStatus Status,
    string? HeaderValue,
    DigestChallenge? Challenge,
    string? Reason)
{
    /// <summary>True when <see cref="HeaderValue"/> should be sent.</summary>
    public bool IsAnswered => Status is DigestClientStatus.Answered or DigestClientStatus.AnsweredStale;
}
