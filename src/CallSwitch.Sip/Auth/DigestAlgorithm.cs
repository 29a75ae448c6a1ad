namespace CallSwitch.Sip.Auth;

/// <summary>
/// Digest hash algorithms understood by CallSwitch (RFC 7616 §3.3, RFC 8760 §2).
/// </summary>
/// <remarks>
/// The <c>-sess</c> variants are only answered on the client side (a carrier may ask for them);
/// the server never offers them because they would require storing per-nonce state to be useful.
/// </remarks>
public enum DigestAlgorithm
{
    /// <summary><c>MD5</c>; also the meaning of an absent <c>algorithm</c> parameter.</summary>
    Md5,

    /// <summary><c>MD5-sess</c>.</summary>
    Md5Session,

    /// <summary><c>SHA-256</c> (RFC 8760).</summary>
    Sha256,

    /// <summary><c>SHA-256-sess</c> (RFC 8760).</summary>
    Sha256Session,
}
