using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Sip.Messages;

/// <summary>One Contact value (RFC 3261 §20.10): a name-addr with expires and q, or the wildcard <c>*</c>.</summary>
public sealed class ContactHeader
{
    private ContactHeader(NameAddress? address, bool isStar)
    {
        Address = address;
        IsStar = isStar;
    }

    /// <summary>The address, or null for <c>*</c>.</summary>
    public NameAddress? Address { get; }

    /// <summary>True for the wildcard contact of a REGISTER that removes every binding.</summary>
    public bool IsStar { get; }

    /// <summary>The expires parameter in seconds, or null when absent or invalid.</summary>
    public int? Expires
    {
        get
        {
            string? value = Address?.Parameters.Get("expires");
            return value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : null;
        }
    }

    /// <summary>The q parameter (0 to 1), or null.</summary>
    public double? Q
    {
        get
        {
            string? value = Address?.Parameters.Get("q");
            return value is not null && double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double q) && q is >= 0 and <= 1 ? q : null;
        }
    }

    /// <summary>Parses one contact value.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out ContactHeader? contact)
    {
        if (value.AsSpan().Trim(" \t") is "*")
        {
            contact = new ContactHeader(null, true);
            return true;
        }

        contact = NameAddress.TryParse(value, out var address) ? new ContactHeader(address, false) : null;
        return contact is not null;
    }

    /// <inheritdoc />
    public override string ToString() => IsStar ? "*" : Address!.ToString();
}
