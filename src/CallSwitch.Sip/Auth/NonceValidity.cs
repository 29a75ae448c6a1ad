namespace CallSwitch.Sip.Auth;

/// <summary>What <see cref="NonceCodec"/> concluded about a nonce.</summary>
internal enum NonceValidity
{
    /// <summary>Issued by us (this secret and realm) and still within its lifetime.</summary>
    Valid,

    /// <summary>Issued by us but older than the lifetime.</summary>
    Expired,

    /// <summary>Not ours: wrong format, wrong MAC (tampered, other realm or secret), or from the future.</summary>
    Invalid,
}
