using System.Security.Cryptography;
using CallSwitch.Sip.Messages;

namespace CallSwitch.Sip.Transport;

/// <summary>
/// Via branch ids (RFC 3261 §8.1.1.7): unique over space and time for every request a client
/// sends, starting with the magic cookie <c>z9hG4bK</c> so that RFC 3261 agents recognise them.
/// </summary>
public static class SipBranch
{
    /// <summary>Random hexadecimal characters after the cookie: 128 bits, unguessable as well as unique.</summary>
    public const int RandomLength = 32;

    /// <summary>A new branch id: <c>z9hG4bK</c> followed by 128 cryptographically random bits. Thread-safe.</summary>
    public static string NewBranch() =>
        ViaHeader.MagicCookie + RandomNumberGenerator.GetHexString(RandomLength, lowercase: true);

    /// <summary>True when <paramref name="branch"/> starts with the RFC 3261 magic cookie.</summary>
    public static bool IsRfc3261(string? branch) =>
        branch is not null && branch.StartsWith(ViaHeader.MagicCookie, StringComparison.Ordinal);
}
