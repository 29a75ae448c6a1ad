using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Stateless, self-validating nonces (RFC 7616 §3.3 and §5.4 suggest a nonce built from a time
/// stamp and a keyed hash): <c>base64url(issued-at ‖ random ‖ HMAC-SHA256(secret, realm ‖
/// issued-at ‖ random)[..16])</c>. Issuing one costs no memory, so a flood of unauthenticated
/// requests cannot exhaust the server; only successfully used nonces are tracked, by
/// <see cref="NonceCountTracker"/>.
/// </summary>
internal sealed class NonceCodec
{
    private const int TimestampLength = 8;
    private const int RandomLength = 12;
    private const int MacLength = 16;
    private const int PayloadLength = TimestampLength + RandomLength;
    private const int TotalLength = PayloadLength + MacLength;

    /// <summary>Length of an encoded nonce: 36 bytes in unpadded base64url.</summary>
    public const int EncodedLength = TotalLength / 3 * 4;

    // Another node sharing the secret may run slightly ahead of us.
    private static readonly long s_clockSkewMilliseconds = 5_000;

    private readonly byte[] _key;
    private readonly byte[] _realm;

    public NonceCodec(ReadOnlySpan<byte> key, string realm)
    {
        _key = key.ToArray();
        _realm = Encoding.UTF8.GetBytes(realm);
    }

    public string Create(long nowMilliseconds)
    {
        Span<byte> nonce = stackalloc byte[TotalLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce, nowMilliseconds);
        RandomNumberGenerator.Fill(nonce.Slice(TimestampLength, RandomLength));
        ComputeMac(nonce[..PayloadLength], nonce[PayloadLength..]);
        return Base64Url.EncodeToString(nonce);
    }

    public NonceValidity Validate(ReadOnlySpan<char> nonce, long nowMilliseconds, long lifetimeMilliseconds, out long issuedAtMilliseconds)
    {
        issuedAtMilliseconds = 0;
        Span<byte> decoded = stackalloc byte[TotalLength];
        if (nonce.Length != EncodedLength
            || !Base64Url.TryDecodeFromChars(nonce, decoded, out var written)
            || written != TotalLength)
        {
            return NonceValidity.Invalid;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        ComputeMac(decoded[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, decoded[PayloadLength..]))
        {
            return NonceValidity.Invalid;
        }

        issuedAtMilliseconds = BinaryPrimitives.ReadInt64BigEndian(decoded);
        if (issuedAtMilliseconds > nowMilliseconds + s_clockSkewMilliseconds)
        {
            return NonceValidity.Invalid;
        }

        return nowMilliseconds - issuedAtMilliseconds >= lifetimeMilliseconds ? NonceValidity.Expired : NonceValidity.Valid;
    }

    private void ComputeMac(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        var length = _realm.Length + PayloadLength;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : new byte[length];
        _realm.CopyTo(input);
        payload.CopyTo(input[_realm.Length..]);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, full);
        full[..MacLength].CopyTo(destination);
    }
}
