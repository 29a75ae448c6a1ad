using System.Diagnostics.CodeAnalysis;

namespace CallSwitch.Calls.Routing;

/// <summary>
/// Dialled digits to E.164, or why they are not a valid number, in words a user can act on
/// ("the number is too short for FR"); the switch's is <c>PhoneNumberNormalizer.TryNormalize</c>.
/// </summary>
/// <param name="digits">The user part of the Request-URI, without any dial prefix.</param>
/// <param name="e164">The number in E.164 form on success.</param>
/// <param name="reason">Why the digits are refused, on failure; it must not repeat the digits.</param>
public delegate bool NumberNormalizer(string digits, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? reason);
