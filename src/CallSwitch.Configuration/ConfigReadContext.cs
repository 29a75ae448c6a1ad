using System.Net;
using CallSwitch.Compliance.Numbers;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>What the section readers share while one file is read: the reader, the number normaliser, paths and environment.</summary>
internal sealed class ConfigReadContext
{
    public ConfigReadContext(YamlNodeReader reader, string baseDirectory, Func<string, string?> environment)
    {
        Reader = reader;
        BaseDirectory = baseDirectory;
        Environment = environment;
        Numbers = new PhoneNumberNormalizer("FR");
    }

    public YamlNodeReader Reader { get; }

    public string BaseDirectory { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>Normalises numbers in the configured country; set once 'country' is read.</summary>
    public PhoneNumberNormalizer Numbers { get; set; }

    /// <summary>Ids, extensions and team names: letters, digits, '.', '-', '_' (they travel in SIP headers and logs).</summary>
    public static bool IsToken(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>Reads a required or optional token-valued key.</summary>
    public string? Token(YamlMappingNode? mapping, string key, string what, bool required = false)
    {
        string? value = Reader.String(mapping, key, required: required);
        if (value is not null && !IsToken(value))
        {
            Reader.Error(Reader.Child(mapping, key)!, $"{what} '{value}' may hold only letters, digits, '.', '-' and '_' (at most 64)");
            return null;
        }

        return value;
    }

    /// <summary>Reads a phone number and normalises it to E.164; null (with an error) when it is not a valid number.</summary>
    public string? PhoneNumber(YamlMappingNode? mapping, string key, bool required = false)
    {
        string? text = Reader.String(mapping, key, required: required);
        if (text is null)
        {
            return null;
        }

        if (!Numbers.TryNormalize(text, out string? e164, out string? reason))
        {
            Reader.Error(Reader.Child(mapping, key)!, $"'{key}' '{text}' is not a usable phone number: {reason}");
            return null;
        }

        return e164;
    }

    /// <summary>Reads an IP address; the fallback when absent, null (with an error) when invalid.</summary>
    public IPAddress? Address(YamlMappingNode? mapping, string key, IPAddress? fallback)
    {
        string? text = Reader.String(mapping, key);
        if (text is null)
        {
            return fallback;
        }

        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            Reader.Error(Reader.Child(mapping, key)!, $"'{key}' must be an IPv4 or IPv6 address, not '{text}'");
            return null;
        }

        return address;
    }

    /// <summary>Whether a text is a host name or an IP address.</summary>
    public static bool IsHost(string text) =>
        IPAddress.TryParse(text, out _) || Uri.CheckHostName(text) == UriHostNameType.Dns;

    /// <summary>Resolves a path against the configuration's folder; null (with an error) when it is not a usable path.</summary>
    public string? ResolvePath(YamlNode node, string key, string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(text))
        {
            Reader.Error(node, $"'{key}' is not a usable path");
            return null;
        }

        try
        {
            return Path.GetFullPath(text, BaseDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Reader.Error(node, $"'{key}' is not a usable path: {e.Message}");
            return null;
        }
    }
}
