namespace CallSwitch.Configuration;

/// <summary>
/// A secret from the configuration (a carrier password). <see cref="ToString"/> masks it, so
/// a record holding one never prints it; only <see cref="Reveal"/> hands the value out, to the
/// code that computes a digest response with it.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    /// <summary>What is printed in place of a secret.</summary>
    public const string Mask = "********";

    private readonly string _value;

    /// <summary>Wraps a non-empty value.</summary>
    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The secret itself; call it only where the value is used, never to log or print.</summary>
    public string Reveal() => _value;

    /// <inheritdoc />
    public override string ToString() => Mask;

    /// <inheritdoc />
    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Secret);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
