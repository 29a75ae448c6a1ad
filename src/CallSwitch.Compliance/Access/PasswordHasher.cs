using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallSwitch.Compliance.Access;

/// <summary>
/// Users' passwords, hashed with PBKDF2-HMAC-SHA256 (the .NET base library's
/// <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>), a random
/// 16-byte salt and <see cref="Iterations"/> rounds (OWASP's 2023 figure for PBKDF2-SHA256). Stored
/// as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64), so the count can rise later without
/// breaking old hashes. Neither the password nor the hash is ever logged.
/// </summary>
public static class PasswordHasher
{
    /// <summary>Rounds for new hashes.</summary>
    public const int Iterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes a password with a new random salt.</summary>
    /// <exception cref="ArgumentException">The password is empty.</exception>
    public static string Hash(string password) => Hash(password, Iterations);

    /// <summary>Hashes with a given count (tests use a low one to stay fast; verification reads the count from the hash).</summary>
    internal static string Hash(string password, int iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Derive(password, salt, iterations);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>
    /// Whether the password matches the stored hash, compared in constant time. A malformed
    /// stored hash matches nothing.
    /// </summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        string[] parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt;
        byte[] expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length != HashBytes || password.Length == 0)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
    }

    /// <summary>Whether a stored hash uses fewer rounds than new hashes (to rehash at the next password change).</summary>
    public static bool IsWeakerThanCurrent(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        string[] parts = stored.Split('$');
        return parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < Iterations;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations)
    {
        byte[] secret = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
