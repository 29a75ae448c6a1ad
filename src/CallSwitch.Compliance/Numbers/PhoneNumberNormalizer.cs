using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace CallSwitch.Compliance.Numbers;

/// <summary>
/// Turns a phone number as people and phones write it ("+33 6 12 34 56 78", "0612345678",
/// "0033612345678", "tel:+33612345678") into its E.164 form ("+33612345678"), the one form the
/// switch stores and searches by. National numbers are read in the configured default region.
/// Thread-safe: the underlying metadata is shared and read-only.
/// </summary>
public sealed class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Creates a normalizer for a default region (ISO 3166 alpha-2, e.g. FR).</summary>
    /// <exception cref="ArgumentException">The region is not one the phone number metadata knows.</exception>
    public PhoneNumberNormalizer(string defaultRegion)
    {
        ArgumentNullException.ThrowIfNull(defaultRegion);
        if (!IsSupportedRegion(defaultRegion))
        {
            throw new ArgumentException($"'{defaultRegion}' is not a known region code (ISO 3166 alpha-2, e.g. FR).", nameof(defaultRegion));
        }

        DefaultRegion = defaultRegion.ToUpperInvariant();
    }

    /// <summary>The region national numbers are read in.</summary>
    public string DefaultRegion { get; }

    /// <summary>Whether a region code (ISO 3166 alpha-2, any case) is known to the phone number metadata.</summary>
    public static bool IsSupportedRegion(string? region) =>
        region is { Length: 2 } && Util.GetSupportedRegions().Contains(region.ToUpperInvariant());

    /// <summary>Normalises a number to E.164, or says in plain words why it cannot.</summary>
    /// <param name="text">The number as written; a tel: URI (RFC 3966) is accepted.</param>
    /// <param name="e164">The number in E.164 form ("+" and digits) on success.</param>
    /// <param name="reason">Why the number was refused, on failure.</param>
    public bool TryNormalize(string? text, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? reason)
    {
        e164 = null;
        string candidate = StripTelScheme(text?.Trim() ?? string.Empty);
        if (candidate.Length == 0)
        {
            reason = "the number is empty";
            return false;
        }

        if (candidate.Any(char.IsAsciiLetter))
        {
            // Vanity numbers (1-800-FLOWERS) would parse, but a prospect's number written with
            // letters is almost always a typo: refuse rather than guess.
            reason = "a phone number holds only digits, spaces, '+', '(', ')', '.', '-' and '/'";
            return false;
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(candidate, DefaultRegion);
        }
        catch (NumberParseException e)
        {
            reason = e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "the country code is missing or unknown",
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "the number is too short",
                ErrorType.TOO_LONG => "the number is too long",
                _ => "this is not a phone number",
            };
            return false;
        }

        string region = Util.GetRegionCodeForNumber(number) ?? DefaultRegion;
        switch (Util.IsPossibleNumberWithReason(number))
        {
            case PhoneNumberUtil.ValidationResult.IS_POSSIBLE:
            case PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
                break;
            case PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE:
                reason = $"+{number.CountryCode} is not a country code";
                return false;
            case PhoneNumberUtil.ValidationResult.TOO_SHORT:
                reason = $"the number is too short for {RegionName(region, number)}";
                return false;
            case PhoneNumberUtil.ValidationResult.TOO_LONG:
                reason = $"the number is too long for {RegionName(region, number)}";
                return false;
            default:
                reason = $"the number does not have a valid length for {RegionName(region, number)}";
                return false;
        }

        if (!Util.IsValidNumber(number))
        {
            reason = $"the number is not a valid number for {RegionName(region, number)}";
            return false;
        }

        e164 = Util.Format(number, PhoneNumberFormat.E164);
        reason = null;
        return true;
    }

    /// <summary>Normalises a number to E.164.</summary>
    /// <exception cref="FormatException">The number is not valid; the message says why.</exception>
    public string Normalize(string text) =>
        TryNormalize(text, out string? e164, out string? reason)
            ? e164
            : throw new FormatException($"Cannot normalise a phone number: {reason}.");

    private static string StripTelScheme(string text)
    {
        if (!text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        // RFC 3966 §3: parameters (;phone-context=, ;ext=) follow the number.
        string number = text[4..];
        int semicolon = number.IndexOf(';', StringComparison.Ordinal);
        return semicolon < 0 ? number : number[..semicolon];
    }

    private static string RegionName(string region, PhoneNumber number) =>
        region == "ZZ" ? $"country code +{number.CountryCode}" : region;
}
