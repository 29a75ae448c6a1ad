using System.Text;

namespace CallSwitch.Compliance.Storage;

/// <summary>Enum values as people and the CLI write them: the name's words in lower case joined by '-' (<c>LegalHoldPlaced</c> → <c>legal-hold-placed</c>).</summary>
public static class EnumWords
{
    /// <summary>The value in words.</summary>
    public static string Of(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string name = value.ToString();
        var word = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && word.Length > 0)
            {
                word.Append('-');
            }

            word.Append(char.ToLowerInvariant(c));
        }

        return word.ToString();
    }

    /// <summary>The value of <typeparamref name="T"/> written <paramref name="text"/>, or null.</summary>
    public static T? Parse<T>(string? text)
        where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => string.Equals(Of(v!.Value), text?.Trim(), StringComparison.OrdinalIgnoreCase));
}
