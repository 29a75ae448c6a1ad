using System.Security.Cryptography;

namespace CallSwitch.Sip.Messages;

/// <summary>Random branches, tags and Call-IDs (RFC 3261 §8.1.1.7, §19.3). Thread-safe.</summary>
public static class SipIdentifiers
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new branch: the magic cookie <c>z9hG4bK</c> followed by 20 random characters.</summary>
    public static string NewBranch() => ViaHeader.MagicCookie + Random(20);

    /// <summary>A new tag with at least 32 bits of randomness (RFC 3261 §19.3).</summary>
    public static string NewTag() => Random(12);

    /// <summary>A new Call-ID, globally unique with high probability (RFC 3261 §8.1.1.4).</summary>
    public static string NewCallId() => Random(24);

    /// <summary>True for a branch of an RFC 3261 stack (it starts with the magic cookie).</summary>
    public static bool IsRfc3261Branch(string? branch) =>
        branch is not null && branch.StartsWith(ViaHeader.MagicCookie, StringComparison.Ordinal);

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
