namespace CallSwitch.Sip.Auth;

/// <summary>
/// Names and properties of <see cref="DigestAlgorithm"/> values as they appear on the wire.
/// </summary>
public static class DigestAlgorithms
{
    /// <summary>
    /// Parses an <c>algorithm</c> parameter value. Names are compared case-insensitively because
    /// deployed UAs write <c>md5</c> as often as <c>MD5</c> (RFC 7616 §3.3 tokens are case-insensitive).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> name, out DigestAlgorithm algorithm)
    {
        name = name.Trim();
        if (name.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5;
            return true;
        }

        if (name.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5Session;
            return true;
        }

        if (name.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }

        if (name.Equals("SHA-256-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256Session;
            return true;
        }

        algorithm = default;
        return false;
    }

    /// <summary>The canonical wire name (<c>MD5</c>, <c>MD5-sess</c>, <c>SHA-256</c>, <c>SHA-256-sess</c>).</summary>
    public static string GetName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Session => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Session => "SHA-256-sess",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>True for the <c>-sess</c> variants, whose HA1 also covers nonce and cnonce (RFC 7616 §3.4.2).</summary>
    public static bool IsSession(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5Session or DigestAlgorithm.Sha256Session;

    /// <summary>The algorithm without its <c>-sess</c> suffix: the one the stored HA1 is computed with.</summary>
    public static DigestAlgorithm GetBase(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5Session => DigestAlgorithm.Md5,
        DigestAlgorithm.Sha256Session => DigestAlgorithm.Sha256,
        _ => algorithm,
    };

    /// <summary>Length in characters of a lower-case hex digest (32 for MD5, 64 for SHA-256).</summary>
    public static int GetHexLength(DigestAlgorithm algorithm) =>
        GetBase(algorithm) == DigestAlgorithm.Sha256 ? 64 : 32;

    /// <summary>
    /// Preference when several challenges are offered (RFC 8760 §2.4: the client uses the first
    /// supported one it prefers): higher is stronger.
    /// </summary>
    internal static int GetStrength(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => 4,
        DigestAlgorithm.Sha256Session => 3,
        DigestAlgorithm.Md5 => 2,
        DigestAlgorithm.Md5Session => 1,
        _ => 0,
    };
}
