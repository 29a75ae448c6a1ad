using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallSwitch.Compliance.Storage;

/// <summary>
/// A point of the audit chain kept outside the store (logged, printed, sent to the DPO): the
/// entry's sequence number and hash, written <c>SEQUENCE:HASH</c>. A log that no longer reaches
/// it, or reaches it with another hash, was cut or rewritten.
/// </summary>
/// <param name="Sequence">The entry's sequence number.</param>
/// <param name="Hash">Its chain hash.</param>
public sealed record AuditAnchor(long Sequence, string Hash)
{
    /// <summary>Reads <c>SEQUENCE:HASH</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AuditAnchor? anchor)
    {
        anchor = null;
        string[] parts = (text ?? string.Empty).Trim().Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) || sequence < 1
            || parts[1].Length != 64 || !parts[1].All(char.IsAsciiHexDigit))
        {
            return false;
        }

        anchor = new AuditAnchor(sequence, parts[1].ToLowerInvariant());
        return true;
    }

    /// <summary>The anchor as <see cref="TryParse"/> reads it.</summary>
    public override string ToString() => $"{Sequence.ToString(CultureInfo.InvariantCulture)}:{Hash}";
}
