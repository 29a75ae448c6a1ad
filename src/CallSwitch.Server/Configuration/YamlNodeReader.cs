using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Server.Configuration;

/// <summary>
/// Reads typed values out of a YAML mapping and records every problem with its line and
/// column, instead of stopping at the first. Unknown keys are errors: a misspelt key would
/// otherwise silently fall back to a default.
/// </summary>
internal sealed class YamlNodeReader
{
    private readonly string _file;
    private readonly List<ConfigError> _errors;

    public YamlNodeReader(string file, List<ConfigError> errors)
    {
        _file = file;
        _errors = errors;
    }

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

    public int Int(YamlMappingNode? mapping, string key, int fallback, int min, int max)
    {
        YamlNode? node = Child(mapping, key);
        string? text = String(mapping, key);
        if (node is null || text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            Error(node, $"'{key}' must be a whole number, not '{text}'");
            return fallback;
        }

        if (value < min || value > max)
        {
            Error(node, $"'{key}' must be between {min} and {max}, not {value}");
            return fallback;
        }

        return value;
    }

    public T Enum<T>(YamlMappingNode? mapping, string key, T fallback)
        where T : struct, Enum
    {
        YamlNode? node = Child(mapping, key);
        string? text = String(mapping, key);
        if (node is null || text is null)
        {
            return fallback;
        }

        if (!System.Enum.TryParse(text, ignoreCase: true, out T value) || int.TryParse(text, CultureInfo.InvariantCulture, out _))
        {
            Error(node, $"'{key}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'");
            return fallback;
        }

        return value;
    }
}
