using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>
/// Reads typed values out of a YAML mapping and records every problem with its line and
/// column, instead of stopping at the first. Unknown keys are errors: a misspelt key would
/// otherwise silently fall back to a default.
/// </summary>
/// <remarks>
/// Messages name keys, never the values of secrets: callers read passwords with
/// <see cref="String"/>, whose messages do not quote the value.
/// </remarks>
internal sealed class YamlNodeReader
{
    private readonly string _file;
    private readonly List<ConfigError> _errors;

    public YamlNodeReader(string file, List<ConfigError> errors)
    {
        _file = file;
        _errors = errors;
    }

    public int ErrorCount => _errors.Count;

    public void Error(YamlNode node, string message) =>
        _errors.Add(new ConfigError(_file, node.Start.Line, node.Start.Column, message));

    public YamlMappingNode? Mapping(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, $"{what} must be a mapping of keys to values");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, $"{what} must be a list");
        return null;
    }

    public void CheckKeys(YamlMappingNode mapping, string what, params string[] allowed)
    {
        foreach (var key in mapping.Children.Keys)
        {
            string name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (Array.IndexOf(allowed, name) < 0)
            {
                Error(key, $"unknown key '{name}' in {what} (expected one of: {string.Join(", ", allowed)})");
            }
        }
    }

    public YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public string? String(YamlMappingNode? mapping, string key, string? fallback = null, bool required = false)
    {
        YamlNode? node = Child(mapping, key);
        if (node is null)
        {
            if (required && mapping is not null)
            {
                Error(mapping, $"missing required key '{key}'");
            }

            return fallback;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' must be a single value");
            return fallback;
        }

        if (string.IsNullOrEmpty(scalar.Value))
        {
            if (required)
            {
                Error(node, $"'{key}' must not be empty");
            }

            return fallback;
        }

        return scalar.Value;
    }

    public int Int(YamlMappingNode? mapping, string key, int fallback, int min, int max) =>
        NullableInt(mapping, key, min, max) ?? fallback;

    /// <summary>Reads an optional whole number; null when absent or wrong (the error is recorded).</summary>
    public int? NullableInt(YamlMappingNode? mapping, string key, int min, int max, bool required = false)
    {
        YamlNode? node = Child(mapping, key);
        string? text = String(mapping, key, required: required);
        if (node is null || text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            Error(node, $"'{key}' must be a whole number, not '{text}'");
            return null;
        }

        if (value < min || value > max)
        {
            Error(node, $"'{key}' must be between {min} and {max}, not {value}");
            return null;
        }

        return value;
    }

    public bool Bool(YamlMappingNode? mapping, string key, bool fallback)
    {
        YamlNode? node = Child(mapping, key);
        string? text = String(mapping, key);
        if (node is null || text is null)
        {
            return fallback;
        }

        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Error(node, $"'{key}' must be true or false, not '{text}'");
        return fallback;
    }

    public T Enum<T>(YamlMappingNode? mapping, string key, T fallback)
        where T : struct, Enum =>
        NullableEnum<T>(mapping, key) ?? fallback;

    /// <summary>Reads an optional enum written in kebab-case (on-demand for OnDemand); null when absent or wrong.</summary>
    public T? NullableEnum<T>(YamlMappingNode? mapping, string key, bool required = false)
        where T : struct, Enum
    {
        YamlNode? node = Child(mapping, key);
        string? text = String(mapping, key, required: required);
        if (node is null || text is null)
        {
            return null;
        }

        if (!TryParseEnum(text, out T value))
        {
            Error(node, $"'{key}' must be one of {EnumNames<T>()}, not '{text}'");
            return null;
        }

        return value;
    }

    /// <summary>Reads a list of scalars (block or flow style); null when absent.</summary>
    public List<(string Value, YamlNode Node)>? Strings(YamlMappingNode? mapping, string key)
    {
        YamlSequenceNode? list = Sequence(Child(mapping, key), $"'{key}'");
        if (list is null)
        {
            return null;
        }

        var result = new List<(string, YamlNode)>();
        foreach (YamlNode item in list)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
            {
                result.Add((value, item));
            }
            else
            {
                Error(item, $"each entry of '{key}' must be a single non-empty value");
            }
        }

        return result;
    }

    /// <summary>Parses the kebab-case spelling of an enum member, case-insensitively.</summary>
    public static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in System.Enum.GetValues<T>())
        {
            if (string.Equals(KebabName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The spelling of an enum member in the file: OnDemand is on-demand.</summary>
    public static string KebabName<T>(T value)
        where T : struct, Enum
    {
        string name = value.ToString();
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsAsciiLetterUpper(name[i]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    public static string EnumNames<T>()
        where T : struct, Enum =>
        string.Join(", ", System.Enum.GetValues<T>().Select(v => KebabName(v)));
}
