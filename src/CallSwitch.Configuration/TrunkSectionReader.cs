using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'trunks'. A trunk's password is never quoted in an error.</summary>
internal static class TrunkSectionReader
{
    public static List<TrunkConfig> Read(ConfigReadContext ctx, YamlSequenceNode? list)
    {
        YamlNodeReader r = ctx.Reader;
        var result = new List<TrunkConfig>();
        if (list is null)
        {
            return result;
        }

        foreach (YamlNode item in list)
        {
            YamlMappingNode? m = r.Mapping(item, "a trunk");
            if (m is null)
            {
                continue;
            }

            r.CheckKeys(m, "a trunk", "id", "host", "port", "transport", "username", "password", "password_env", "caller_id", "codecs", "max_channels", "from_domain");
            string? id = ctx.Token(m, "id", "trunk id", required: true);
            string? host = r.String(m, "host", required: true);
            if (host is not null && !ConfigReadContext.IsHost(host))
            {
                r.Error(r.Child(m, "host")!, $"'host' must be a host name or an IP address, not '{host}'");
            }

            TransportProtocol transport = r.Enum(m, "transport", TransportProtocol.Udp);
            if (transport == TransportProtocol.Tls)
            {
                r.Error(r.Child(m, "transport")!, "TLS trunks are not available yet; use udp or tcp");
            }

            string? fromDomain = r.String(m, "from_domain");
            if (fromDomain is not null && !ConfigReadContext.IsHost(fromDomain))
            {
                r.Error(r.Child(m, "from_domain")!, $"'from_domain' must be a domain or an IP address, not '{fromDomain}'");
            }

            var (username, password, passwordEnv) = ReadCredentials(ctx, m, id);
            var trunk = new TrunkConfig
            {
                Id = id ?? string.Empty,
                Host = host ?? string.Empty,
                Port = r.Int(m, "port", 5060, 1, 65535),
                Transport = transport,
                Username = username,
                Password = password,
                PasswordEnv = passwordEnv,
                CallerId = ctx.PhoneNumber(m, "caller_id"),
                Codecs = ReadCodecs(r, m) ?? TrunkConfig.DefaultCodecs,
                MaxChannels = r.NullableInt(m, "max_channels", 1, 100_000, required: true) ?? 1,
                FromDomain = fromDomain,
            };

            if (id is not null && result.Any(t => t.Id == id))
            {
                r.Error(r.Child(m, "id")!, $"trunk id '{id}' is given twice");
                continue;
            }

            result.Add(trunk);
        }

        return result;
    }

    private static (string? Username, Secret? Password, string? PasswordEnv) ReadCredentials(ConfigReadContext ctx, YamlMappingNode m, string? id)
    {
        YamlNodeReader r = ctx.Reader;
        string? username = r.String(m, "username");
        string? password = r.String(m, "password");
        string? passwordEnv = r.String(m, "password_env");
        if (r.Child(m, "password") is YamlScalarNode { Value: null or "" } emptyPassword)
        {
            r.Error(emptyPassword, "'password' must not be empty");
        }

        if (password is not null && passwordEnv is not null)
        {
            r.Error(r.Child(m, "password_env")!, "give either 'password' or 'password_env', not both");
        }
        else if (passwordEnv is not null)
        {
            if (!passwordEnv.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(passwordEnv[0]))
            {
                r.Error(r.Child(m, "password_env")!, $"'password_env' must be an environment variable name (letters, digits, '_'), not '{passwordEnv}'");
            }
            else
            {
                password = ctx.Environment(passwordEnv);
                if (string.IsNullOrEmpty(password))
                {
                    r.Error(r.Child(m, "password_env")!, $"the environment variable '{passwordEnv}' (password of trunk '{id}') is not set or empty");
                    password = null;
                }
            }
        }

        bool hasPassword = password is not null || passwordEnv is not null;
        if (username is not null && !hasPassword)
        {
            r.Error(r.Child(m, "username")!, $"trunk '{id}' has a 'username' but no 'password' or 'password_env'");
        }
        else if (username is null && hasPassword)
        {
            r.Error(r.Child(m, "password") ?? r.Child(m, "password_env")!, $"trunk '{id}' has a password but no 'username'");
        }

        return (username, password is null ? null : new Secret(password), passwordEnv);
    }

    private static List<CodecName>? ReadCodecs(YamlNodeReader r, YamlMappingNode m)
    {
        var items = r.Strings(m, "codecs");
        if (items is null)
        {
            return null;
        }

        var result = new List<CodecName>();
        foreach (var (text, node) in items)
        {
            if (!YamlNodeReader.TryParseEnum(text, out CodecName codec))
            {
                r.Error(node, $"'{text}' is not a codec the switch offers ({YamlNodeReader.EnumNames<CodecName>()})");
            }
            else if (result.Contains(codec))
            {
                r.Error(node, $"codec '{text}' is listed twice");
            }
            else
            {
                result.Add(codec);
            }
        }

        if (items.Count == 0)
        {
            r.Error(r.Child(m, "codecs")!, $"'codecs' needs at least one of {YamlNodeReader.EnumNames<CodecName>()}");
        }

        return result.Count > 0 ? result : null;
    }
}
