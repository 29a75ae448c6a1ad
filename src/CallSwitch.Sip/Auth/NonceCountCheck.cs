namespace CallSwitch.Sip.Auth;

/// <summary>Outcome of <see cref="NonceCountTracker.TryAccept"/>.</summary>
internal enum NonceCountCheck
{
    /// <summary>nc is greater than any accepted before for this nonce; it is now recorded.</summary>
    Accepted,

    /// <summary>nc is not greater than the last accepted one: a replay (or a reordered request).</summary>
    Replayed,

    /// <summary>The nonce's history was evicted to bound memory, so replays could not be detected.</summary>
    Forgotten,
}
