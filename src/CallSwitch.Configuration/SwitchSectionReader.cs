using System.Net;
using CallSwitch.Compliance.Numbers;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads the 'switch' and 'logging' sections: listeners, limits, auth, registrar, media, paths, country.</summary>
internal static class SwitchSectionReader
{
    public static readonly string[] Keys =
        ["realm", "user_agent", "listen", "limits", "auth", "registrar", "media", "paths", "country"];

    /// <summary>Reads 'country' first: every phone number in the file is read in it.</summary>
    public static string ReadCountry(ConfigReadContext ctx, YamlMappingNode? sw)
    {
        YamlNodeReader r = ctx.Reader;
        string country = r.String(sw, "country", "FR")!;
        if (!PhoneNumberNormalizer.IsSupportedRegion(country))
        {
            r.Error(r.Child(sw, "country")!, $"'country' must be a region code such as FR, GB or US (ISO 3166 alpha-2), not '{country}'");
            return "FR";
        }

        return country.ToUpperInvariant();
    }

    public static List<ListenConfig> ReadListen(ConfigReadContext ctx, YamlMappingNode? sw)
    {
        YamlNodeReader r = ctx.Reader;
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
            TransportProtocol protocol = r.Enum(m, "protocol", TransportProtocol.Udp);
            if (protocol == TransportProtocol.Tls)
            {
                r.Error(r.Child(m, "protocol")!, "TLS listeners are not available yet; use udp or tcp");
            }

            IPAddress address = ctx.Address(m, "address", IPAddress.Loopback) ?? IPAddress.Loopback;
            int port = r.Int(m, "port", 5060, 0, 65535);
            if (result.Any(l => l.Protocol == protocol && l.Address.Equals(address) && l.Port == port && port != 0))
            {
                r.Error(m, $"listener {YamlNodeReader.KebabName(protocol)} {address}:{port} is given twice");
            }

            result.Add(new ListenConfig(protocol, address, port));
        }

        return result;
    }

    public static ParserLimitsConfig ReadLimits(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'limits'", "max_message_bytes", "max_header_count", "max_header_line_bytes");
        }

        var d = new ParserLimitsConfig();
        return new ParserLimitsConfig
        {
            MaxMessageBytes = r.Int(m, "max_message_bytes", d.MaxMessageBytes, 1024, 1 << 20),
            MaxHeaderCount = r.Int(m, "max_header_count", d.MaxHeaderCount, 8, 10_000),
            MaxHeaderLineBytes = r.Int(m, "max_header_line_bytes", d.MaxHeaderLineBytes, 128, 1 << 20),
        };
    }

    public static AuthConfig ReadAuth(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'auth'", "algorithms", "md5_only_user_agents", "nonce_lifetime_seconds", "max_failures", "failure_window_seconds", "block_seconds");
        }

        var d = new AuthConfig();
        return new AuthConfig
        {
            Algorithms = ReadAlgorithms(r, r.Child(m, "algorithms"), d.Algorithms),
            Md5OnlyUserAgents = r.Strings(m, "md5_only_user_agents")?.Select(s => s.Value.Trim()).ToArray() ?? d.Md5OnlyUserAgents,
            NonceLifetimeSeconds = r.Int(m, "nonce_lifetime_seconds", d.NonceLifetimeSeconds, 10, 86_400),
            MaxFailures = r.Int(m, "max_failures", d.MaxFailures, 1, 10_000),
            FailureWindowSeconds = r.Int(m, "failure_window_seconds", d.FailureWindowSeconds, 1, 86_400),
            BlockSeconds = r.Int(m, "block_seconds", d.BlockSeconds, 1, 86_400),
        };
    }

    public static RegistrarConfig ReadRegistrar(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'registrar'", "default_expires", "min_expires", "max_expires", "max_contacts");
        }

        var d = new RegistrarConfig();
        var settings = new RegistrarConfig
        {
            DefaultExpires = r.Int(m, "default_expires", d.DefaultExpires, 1, 604_800),
            MinExpires = r.Int(m, "min_expires", d.MinExpires, 1, 604_800),
            MaxExpires = r.Int(m, "max_expires", d.MaxExpires, 1, 604_800),
            MaxContacts = r.Int(m, "max_contacts", d.MaxContacts, 1, 1000),
        };
        if (m is not null && (settings.MinExpires > settings.MaxExpires || settings.DefaultExpires < settings.MinExpires || settings.DefaultExpires > settings.MaxExpires))
        {
            r.Error(m, "registrar expiries must satisfy min_expires <= default_expires <= max_expires");
        }

        return settings;
    }

    public static MediaConfig ReadMedia(ConfigReadContext ctx, YamlMappingNode? m)
    {
        YamlNodeReader r = ctx.Reader;
        var d = new MediaConfig();
        if (m is null)
        {
            return d;
        }

        r.CheckKeys(m, "'media'", "rtp_address", "advertised_address", "rtp_port_min", "rtp_port_max", "rtp_timeout_seconds");
        IPAddress rtp = ctx.Address(m, "rtp_address", d.RtpAddress) ?? d.RtpAddress;
        IPAddress? advertised = ctx.Address(m, "advertised_address", null);
        if (advertised is null && r.Child(m, "advertised_address") is null)
        {
            if (rtp.Equals(IPAddress.Any) || rtp.Equals(IPAddress.IPv6Any))
            {
                // 0.0.0.0 in an SDP c= line means "hold" to old peers (RFC 3264 §8.4): never advertise it.
                r.Error(m, "'advertised_address' is required when 'rtp_address' is a wildcard (0.0.0.0 or ::): phones must be told a real address");
            }

            advertised = rtp;
        }
        else if (advertised is not null && (advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any)))
        {
            r.Error(r.Child(m, "advertised_address")!, "'advertised_address' must be a real address, not a wildcard");
        }

        int min = EvenPort(r, m, "rtp_port_min", d.RtpPortMin);
        int max = EvenPort(r, m, "rtp_port_max", d.RtpPortMax);

        // A call holds two legs (agent, prospect), each an RTP port and the RTCP port above it.
        if (max - min < 4)
        {
            r.Error(r.Child(m, "rtp_port_max") ?? m, $"the RTP port range {min}-{max} is too small: one call needs two RTP/RTCP port pairs, so rtp_port_max must be at least rtp_port_min + 4");
        }

        return new MediaConfig
        {
            RtpAddress = rtp,
            AdvertisedAddress = advertised ?? rtp,
            RtpPortMin = min,
            RtpPortMax = max,
            RtpTimeoutSeconds = r.Int(m, "rtp_timeout_seconds", d.RtpTimeoutSeconds, 0, 86_400),
        };
    }

    public static PathsConfig ReadPaths(ConfigReadContext ctx, YamlMappingNode? sw)
    {
        YamlNodeReader r = ctx.Reader;
        YamlMappingNode? m = r.Mapping(r.Child(sw, "paths"), "'paths'");
        if (m is null && sw is not null && r.Child(sw, "paths") is null)
        {
            r.Error(sw, "missing required key 'paths' (spool directory for recordings, data directory for the database)");
        }

        if (m is not null)
        {
            r.CheckKeys(m, "'paths'", "spool", "data");
        }

        return new PathsConfig
        {
            Spool = ReadPath(ctx, m, "spool"),
            Data = ReadPath(ctx, m, "data"),
        };
    }

    public static LoggingConfig ReadLogging(YamlNodeReader r, YamlMappingNode? m)
    {
        if (m is not null)
        {
            r.CheckKeys(m, "'logging'", "level", "format", "unmask_numbers");
        }

        var d = new LoggingConfig();
        return new LoggingConfig
        {
            Level = r.Enum(m, "level", d.Level),
            Format = r.Enum(m, "format", d.Format),
            UnmaskNumbers = r.Bool(m, "unmask_numbers", d.UnmaskNumbers),
        };
    }

    private static string ReadPath(ConfigReadContext ctx, YamlMappingNode? m, string key)
    {
        string? text = ctx.Reader.String(m, key, required: m is not null);
        return text is null ? string.Empty : ctx.ResolvePath(ctx.Reader.Child(m, key)!, key, text) ?? string.Empty;
    }

    private static int EvenPort(YamlNodeReader r, YamlMappingNode m, string key, int fallback)
    {
        int? port = r.NullableInt(m, key, 1024, 65534);
        if (port is int p && p % 2 != 0)
        {
            // RFC 3550 §11: RTP on an even port, RTCP on the odd port above it.
            r.Error(r.Child(m, key)!, $"'{key}' must be even (RTP takes even ports, RTCP the odd one above), not {p}");
        }

        return port ?? fallback;
    }

    private static IReadOnlyList<ChallengeAlgorithm> ReadAlgorithms(YamlNodeReader r, YamlNode? node, IReadOnlyList<ChallengeAlgorithm> fallback)
    {
        YamlSequenceNode? list = r.Sequence(node, "'algorithms'");
        if (list is null)
        {
            return fallback;
        }

        var result = new List<ChallengeAlgorithm>();
        foreach (YamlNode item in list)
        {
            string text = (item as YamlScalarNode)?.Value ?? string.Empty;
            ChallengeAlgorithm? algorithm = text.ToLowerInvariant() switch
            {
                "md5" => ChallengeAlgorithm.Md5,
                "sha-256" => ChallengeAlgorithm.Sha256,
                _ => null,
            };
            if (algorithm is null)
            {
                r.Error(item, $"'{text}' is not a digest algorithm the switch challenges with (md5, sha-256)");
            }
            else if (result.Contains(algorithm.Value))
            {
                r.Error(item, $"'{text}' is listed twice");
            }
            else
            {
                result.Add(algorithm.Value);
            }
        }

        if (list.Children.Count == 0)
        {
            r.Error(list, "'algorithms' needs at least one of md5, sha-256");
        }

        return result.Count > 0 ? result : fallback;
    }
}
