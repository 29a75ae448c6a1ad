using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// The Digest arithmetic of RFC 7616 §3.4.1–§3.4.3 (identical for SIP, RFC 3261 §22.4), with
/// MD5 and SHA-256 (RFC 8760). All digests are lower-case hex strings; all text is hashed as
/// UTF-8.
/// </summary>
public static class DigestCalculator
{
    // Above this many UTF-8 bytes the input is rented instead of stack-allocated.
    private const int StackLimit = 512;

    /// <summary>
    /// HA1 = H(username ":" realm ":" password), the value an account store keeps instead of the
    /// password. For a <c>-sess</c> algorithm this is the base HA1; see <see cref="ComputeSessionHa1"/>.
    /// </summary>
    public static string ComputeHa1(DigestAlgorithm algorithm, string username, string realm, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        return Hash(algorithm, username, realm, password);
    }

    /// <summary>
    /// Session HA1 for <c>-sess</c> algorithms: H(H(user:realm:password) ":" nonce ":" cnonce)
    /// (RFC 7616 §3.4.2), computed from the stored base <paramref name="ha1"/>.
    /// </summary>
    public static string ComputeSessionHa1(DigestAlgorithm algorithm, string ha1, string nonce, string cnonce) =>
        Hash(algorithm, ha1, nonce, cnonce);

    /// <summary>HA2 for qop=auth or no qop: H(method ":" digest-uri) (RFC 7616 §3.4.3).</summary>
    public static string ComputeHa2(DigestAlgorithm algorithm, string method, string digestUri) =>
        Hash(algorithm, method, digestUri);

    /// <summary>HA2 for qop=auth-int: H(method ":" digest-uri ":" H(entity-body)) (RFC 7616 §3.4.3).</summary>
    public static string ComputeHa2AuthInt(DigestAlgorithm algorithm, string method, string digestUri, ReadOnlySpan<byte> body)
    {
        Span<byte> digest = stackalloc byte[32];
        var length = HashBytes(algorithm, body, digest);
        return Hash(algorithm, method, digestUri, Convert.ToHexStringLower(digest[..length]));
    }

    /// <summary>
    /// The request-digest. With qop: H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
    /// (RFC 7616 §3.4.1); without qop (RFC 2069 compatibility): H(HA1 ":" nonce ":" HA2).
    /// <paramref name="ha1"/> must already be the session HA1 for <c>-sess</c> algorithms.
    /// </summary>
    public static string ComputeResponse(
        DigestAlgorithm algorithm, string ha1, string nonce, string? nonceCount, string? cnonce, string? qop, string ha2)
    {
        if (qop is null)
        {
            return Hash(algorithm, ha1, nonce, ha2);
        }

        ArgumentNullException.ThrowIfNull(nonceCount);
        ArgumentNullException.ThrowIfNull(cnonce);
        return Hash(algorithm, ha1, nonce, nonceCount, cnonce, qop, ha2);
    }

    /// <summary>Formats a nonce count as the 8 lower-case hex digits of <c>nc-value</c>.</summary>
    public static string FormatNonceCount(uint count) => count.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>H(part1 ":" part2 ":" …) as lower-case hex.</summary>
    internal static string Hash(DigestAlgorithm algorithm, params ReadOnlySpan<string> parts)
    {
        var total = parts.Length - 1;
        foreach (var part in parts)
        {
            total += Encoding.UTF8.GetByteCount(part);
        }

        byte[]? rented = null;
        Span<byte> buffer = total <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            var written = 0;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    buffer[written++] = (byte)':';
                }

                written += Encoding.UTF8.GetBytes(parts[i], buffer[written..]);
            }

            Span<byte> digest = stackalloc byte[32];
            var length = HashBytes(algorithm, buffer[..written], digest);
            return Convert.ToHexStringLower(digest[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                // The input may contain a password.
                CryptographicOperations.ZeroMemory(rented.AsSpan(0, total));
                ArrayPool<byte>.Shared.Return(rented);
            }
            else
            {
                CryptographicOperations.ZeroMemory(buffer[..total]);
            }
        }
    }

    private static int HashBytes(DigestAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) =>
        DigestAlgorithms.GetBase(algorithm) == DigestAlgorithm.Sha256
            ? SHA256.HashData(data, destination)
            : MD5.HashData(data, destination);
}
