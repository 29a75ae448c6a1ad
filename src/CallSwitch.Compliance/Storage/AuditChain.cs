using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallSwitch.Compliance.Storage;

/// <summary>
/// The audit log's hash chain: each entry's hash is SHA-256 over its predecessor's hash (32 zero
/// bytes for the first) followed by a canonical encoding of the entry — sequence, instant in
/// microseconds, actor, action code, recording id, purpose, detail — each field as a 4-byte
/// big-endian length and its UTF-8 bytes (length 0xFFFFFFFF for a null). Changing, removing,
/// inserting or reordering an entry breaks the chain from there; cutting the tail is seen against
/// an anchor (a sequence number and its hash kept elsewhere), since there is no secret: whoever
/// can rewrite the file can recompute a chain, but not one ending in an anchor already given out.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first chained entry.</summary>
    public static string Genesis { get; } = new('0', 64);

    /// <summary>The hash of an entry given its predecessor's hash (lower-case hex).</summary>
    /// <param name="previousHash">The predecessor's hash, or <see cref="Genesis"/>.</param>
    /// <param name="sequence">The entry's sequence number.</param>
    /// <param name="atMicros">When, in microseconds since the Unix epoch (as stored).</param>
    /// <param name="actor">Who.</param>
    /// <param name="actionCode">The action as stored.</param>
    /// <param name="recordingId">The recording id as stored, or null.</param>
    /// <param name="purpose">Why.</param>
    /// <param name="detail">More, or null.</param>
    public static string Hash(string previousHash, long sequence, long atMicros, string actor, string actionCode, string? recordingId, string purpose, string? detail)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        var buffer = new List<byte>(256);
        buffer.AddRange(Convert.FromHexString(previousHash));
        Field(buffer, sequence.ToString(CultureInfo.InvariantCulture));
        Field(buffer, atMicros.ToString(CultureInfo.InvariantCulture));
        Field(buffer, actor);
        Field(buffer, actionCode);
        Field(buffer, recordingId);
        Field(buffer, purpose);
        Field(buffer, detail);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Field(List<byte> buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(length, uint.MaxValue);
            buffer.AddRange(length.ToArray());
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        buffer.AddRange(length.ToArray());
        buffer.AddRange(bytes);
    }
}
