using System.Net;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'console': the web console's address and port, session length, lockout and trusted proxies.</summary>
internal static class ConsoleSectionReader
{
    public static ConsoleConfig? Read(ConfigReadContext ctx, YamlMappingNode? m)
    {
        YamlNodeReader r = ctx.Reader;
        if (m is null)
        {
            return null;
        }

        r.CheckKeys(m, "'console'", "address", "port", "session_minutes", "max_failures", "lockout_minutes", "trusted_proxies");
        var d = new ConsoleConfig();
        var proxies = new List<IPAddress>();
        foreach ((string text, YamlNode node) in r.Strings(m, "trusted_proxies") ?? [])
        {
            if (IPAddress.TryParse(text, out IPAddress? proxy))
            {
                proxies.Add(proxy);
            }
            else
            {
                r.Error(node, $"'trusted_proxies' lists IP addresses, not '{text}'");
            }
        }

        return new ConsoleConfig
        {
            Address = ctx.Address(m, "address", d.Address) ?? d.Address,
            Port = r.Int(m, "port", d.Port, 0, 65535),
            SessionMinutes = r.Int(m, "session_minutes", d.SessionMinutes, 1, 24 * 60),
            MaxFailures = r.Int(m, "max_failures", d.MaxFailures, 1, 100),
            LockoutMinutes = r.Int(m, "lockout_minutes", d.LockoutMinutes, 1, 24 * 60),
            TrustedProxies = proxies,
        };
    }
}
