using System.Net;
using System.Reflection;
using CallSwitch.Calls.Agents;
using CallSwitch.Calls.Registration;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Server.Configuration;

/// <summary>
/// Loads the YAML configuration and checks all of it, reporting every error with file, line
/// and column. A file with any error yields no configuration: the caller keeps what it runs.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The name shown in errors for the configuration embedded in the executable.</summary>
    public const string EmbeddedName = "<embedded callswitch.yaml>";

    /// <summary>The configuration embedded in the executable (config/callswitch.yaml at build time).</summary>
    public static string EmbeddedText()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CallSwitch.Server.callswitch.yaml")
            ?? throw new InvalidOperationException("The embedded configuration is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Loads a file; errors include a missing or unreadable file.</summary>
    public static (SwitchConfig? Config, IReadOnlyList<ConfigError> Errors) LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigError(path, 0, 0, $"cannot read the file: {e.Message}")]);
        }

        return Load(text, path);
    }

    /// <summary>Parses and checks configuration text.</summary>
    public static (SwitchConfig? Config, IReadOnlyList<ConfigError> Errors) Load(string text, string file)
    {
        var errors = new List<ConfigError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            string message = e.InnerException?.Message ?? e.Message;
            errors.Add(new ConfigError(file, e.Start.Line, e.Start.Column, $"not valid YAML: {message}"));
            return (null, errors);
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new ConfigError(file, 1, 1, "expected exactly one YAML document"));
            return (null, errors);
        }

        var r = new YamlNodeReader(file, errors);
        YamlMappingNode? root = r.Mapping(stream.Documents[0].RootNode, "the configuration");
        if (root is null)
        {
            return (null, errors);
        }

        r.CheckKeys(root, "the configuration", "switch", "logging", "agents");
        YamlMappingNode? sw = r.Mapping(r.Child(root, "switch"), "'switch'");
        if (sw is not null)
        {
            r.CheckKeys(sw, "'switch'", "realm", "user_agent", "listen", "limits", "auth", "registrar");
        }

        var config = new SwitchConfig
        {
            Realm = r.String(sw, "realm", "callswitch")!,
            UserAgent = r.String(sw, "user_agent", "CallSwitch")!,
            Listen = ReadListen(r, sw),
            Limits = ReadLimits(r, r.Mapping(r.Child(sw, "limits"), "'limits'")),
            Auth = ReadAuth(r, r.Mapping(r.Child(sw, "auth"), "'auth'")),
            Registrar = ReadRegistrar(r, r.Mapping(r.Child(sw, "registrar"), "'registrar'")),
            Logging = ReadLogging(r, r.Mapping(r.Child(root, "logging"), "'logging'")),
            Agents = ReadAgents(r, r.Sequence(r.Child(root, "agents"), "'agents'")),
        };

        return errors.Count == 0 ? (config, errors) : (null, errors);
    }

    private static List<ListenConfig> ReadListen(YamlNodeReader r, YamlMappingNode? sw)
    {
        var result = new List<ListenConfig>();
        YamlNode? node = r.Child(sw, "listen");
        if (node is null)
        {
            if (sw is not null)
            {
                r.Error(sw, "missing required key 'listen' (at least one SIP listener)");
            }

            return result;
        }

        YamlSequenceNode? list = r.Sequence(node, "'listen'");
        if (list is null)
        {
            return result;
        }

        if (list.Children.Count == 0)
        {
            r.Error(list, "'listen' needs at least one listener");
        }

        foreach (YamlNode item in list)
        {
            YamlMappingNode? m = r.Mapping(item, "a listener");
            if (m is null)
            {
                continue;
            }

            r.CheckKeys(m, "a listener", "protocol", "address", "port");
            SipProtocol protocol = r.Enum(m, "protocol", SipProtocol.Udp);
            if (protocol == SipProtocol.Tls)
            {
                r.Error(r.Child(m, "protocol")!, "TLS listeners are not available yet; use udp or tcp");
            }

            string addressText = r.String(m, "address", "127.0.0.1")!;
            if (!IPAddress.TryParse(addressText, out IPAddress? address))
            {
                r.Error(r.Child(m, "address") ?? m, $"'address' must be an IPv4 or IPv6 address, not '{addressText}'");
                address = IPAddress.Loopback;
            }

            int port = r.Int(m, "port", 5060, 0, 65535);
            if (result.Any(l => l.Protocol == protocol && l.Address.Equals(address) && l.Port == port && port != 0))
            {
                r.Error(m, $"listener {protocol.ToString().ToLowerInvariant()} {address}:{port} is given twice");
            }

            result.Add(new ListenConfig(protocol, address, port));
        }

        return result;
    }

    private static SipParserLimits ReadLimits(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'limits'", "max_message_bytes", "max_header_count", "max_header_line_bytes");
        }

        var d = SipParserLimits.Default;
        int max = r.Int(m, "max_message_bytes", d.MaxMessageBytes, 1024, 1 << 20);
        return new SipParserLimits
        {
            MaxMessageBytes = max,
            MaxHeadBytes = Math.Min(d.MaxHeadBytes, max),
            MaxHeaderCount = r.Int(m, "max_header_count", d.MaxHeaderCount, 8, 10_000),
            MaxHeaderLineBytes = r.Int(m, "max_header_line_bytes", d.MaxHeaderLineBytes, 128, 1 << 20),
        };
    }

    private static AuthConfig ReadAuth(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'auth'", "algorithms", "nonce_lifetime_seconds", "max_failures", "failure_window_seconds", "block_seconds");
        }

        var d = new AuthConfig();
        return new AuthConfig
        {
            Algorithms = ReadAlgorithms(r, r.Child(m, "algorithms"), d.Algorithms),
            NonceLifetimeSeconds = r.Int(m, "nonce_lifetime_seconds", d.NonceLifetimeSeconds, 10, 86_400),
            MaxFailures = r.Int(m, "max_failures", d.MaxFailures, 1, 10_000),
            FailureWindowSeconds = r.Int(m, "failure_window_seconds", d.FailureWindowSeconds, 1, 86_400),
            BlockSeconds = r.Int(m, "block_seconds", d.BlockSeconds, 1, 86_400),
        };
    }

    private static IReadOnlyList<DigestAlgorithm> ReadAlgorithms(YamlNodeReader r, YamlNode? node, IReadOnlyList<DigestAlgorithm> fallback)
    {
        YamlSequenceNode? list = r.Sequence(node, "'algorithms'");
        if (list is null)
        {
            return fallback;
        }

        var result = new List<DigestAlgorithm>();
        foreach (YamlNode item in list)
        {
            string text = (item as YamlScalarNode)?.Value ?? string.Empty;
            if (!DigestAlgorithms.TryParse(text, out DigestAlgorithm algorithm) || DigestAlgorithms.IsSession(algorithm))
            {
                r.Error(item, $"'{text}' is not a digest algorithm the switch challenges with (md5, sha-256)");
            }
            else if (result.Contains(algorithm))
            {
                r.Error(item, $"'{text}' is listed twice");
            }
            else
            {
                result.Add(algorithm);
            }
        }

        if (list.Children.Count == 0)
        {
            r.Error(list, "'algorithms' needs at least one of md5, sha-256");
        }

        return result.Count > 0 ? result : fallback;
    }

    private static RegistrarSettings ReadRegistrar(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'registrar'", "default_expires", "min_expires", "max_expires", "max_contacts");
        }

        var d = new RegistrarSettings();
        var settings = new RegistrarSettings
        {
            DefaultExpires = r.Int(m, "default_expires", d.DefaultExpires, 1, 604_800),
            MinExpires = r.Int(m, "min_expires", d.MinExpires, 1, 604_800),
            MaxExpires = r.Int(m, "max_expires", d.MaxExpires, 1, 604_800),
            MaxContactsPerUser = r.Int(m, "max_contacts", d.MaxContactsPerUser, 1, 1000),
        };
        if (m is not null && (settings.MinExpires > settings.MaxExpires || settings.DefaultExpires < settings.MinExpires || settings.DefaultExpires > settings.MaxExpires))
        {
            r.Error(m, "registrar expiries must satisfy min_expires <= default_expires <= max_expires");
        }

        return settings;
    }

    private static LoggingConfig ReadLogging(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'logging'", "level", "format");
        }

        var d = new LoggingConfig();
        return new LoggingConfig
        {
            Level = r.Enum(m, "level", d.Level),
            Format = r.Enum(m, "format", d.Format),
        };
    }

    private static List<AgentAccount> ReadAgents(YamlNodeReader r, YamlSequenceNode? list)
    {
        var result = new List<AgentAccount>();
        if (list is null)
        {
            return result;
        }

        foreach (YamlNode item in list)
        {
            YamlMappingNode? m = r.Mapping(item, "an agent");
            if (m is null)
            {
                continue;
            }

            r.CheckKeys(m, "an agent", "extension", "display_name", "ha1_md5", "ha1_sha256");
            string? extension = r.String(m, "extension", required: true);
            string? md5 = r.String(m, "ha1_md5");
            string? sha = r.String(m, "ha1_sha256");
            if (extension is not null && !extension.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                r.Error(r.Child(m, "extension")!, $"extension '{extension}' may hold only letters, digits, '.', '-' and '_'");
            }

            CheckHex(r, m, "ha1_md5", md5, 32);
            CheckHex(r, m, "ha1_sha256", sha, 64);
            if (md5 is null && sha is null)
            {
                r.Error(m, $"agent '{extension}' needs ha1_md5 and/or ha1_sha256 (make them with: callswitch hash-password)");
            }

            if (extension is not null && result.Any(a => a.Extension == extension))
            {
                r.Error(m, $"agent extension '{extension}' is given twice");
                continue;
            }

            if (extension is not null)
            {
                result.Add(new AgentAccount(extension, r.String(m, "display_name"), md5?.ToLowerInvariant(), sha?.ToLowerInvariant()));
            }
        }

        return result;
    }

    private static void CheckHex(YamlNodeReader r, YamlMappingNode m, string key, string? value, int length)
    {
        if (value is not null && (value.Length != length || !value.All(char.IsAsciiHexDigit)))
        {
            r.Error(r.Child(m, key)!, $"'{key}' must be {length} hexadecimal digits");
        }
    }
}
