using CallSwitch.Compliance.Rules;
using System.Globalization;
using System.Text;

namespace CallSwitch.Configuration;

/// <summary>
/// Writes the effective configuration (defaults filled in, paths resolved, numbers in E.164) as
/// YAML for <c>callswitch config show</c>. Secrets never appear: trunk passwords and agents'
/// HA1 values (password equivalents for the realm) are masked.
/// </summary>
public static class ConfigPrinter
{
    /// <summary>Returns the effective configuration as YAML text.</summary>
    public static string Print(SwitchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var w = new StringBuilder();
        w.AppendLine("switch:");
        Line(w, 1, "realm", Quote(config.Realm));
        Line(w, 1, "user_agent", Quote(config.UserAgent));
        Line(w, 1, "country", config.Country);
        Line(w, 1, "listen", null);
        foreach (ListenConfig l in config.Listen)
        {
            w.Append(CultureInfo.InvariantCulture, $"    - protocol: {Name(l.Protocol)}\n      address: {Quote(l.Address.ToString())}\n      port: {l.Port}\n");
        }

        Line(w, 1, "limits", null);
        Line(w, 2, "max_message_bytes", config.Limits.MaxMessageBytes);
        Line(w, 2, "max_header_count", config.Limits.MaxHeaderCount);
        Line(w, 2, "max_header_line_bytes", config.Limits.MaxHeaderLineBytes);
        Line(w, 1, "auth", null);
        Line(w, 2, "algorithms", "[" + string.Join(", ", config.Auth.Algorithms.Select(a => a == ChallengeAlgorithm.Sha256 ? "sha-256" : "md5")) + "]");
        Line(w, 2, "md5_only_user_agents", "[" + string.Join(", ", config.Auth.Md5OnlyUserAgents.Select(Quote)) + "]");
        Line(w, 2, "nonce_lifetime_seconds", config.Auth.NonceLifetimeSeconds);
        Line(w, 2, "max_failures", config.Auth.MaxFailures);
        Line(w, 2, "failure_window_seconds", config.Auth.FailureWindowSeconds);
        Line(w, 2, "block_seconds", config.Auth.BlockSeconds);
        Line(w, 1, "registrar", null);
        Line(w, 2, "default_expires", config.Registrar.DefaultExpires);
        Line(w, 2, "min_expires", config.Registrar.MinExpires);
        Line(w, 2, "max_expires", config.Registrar.MaxExpires);
        Line(w, 2, "max_contacts", config.Registrar.MaxContacts);
        Line(w, 1, "media", null);
        Line(w, 2, "rtp_address", Quote(config.Media.RtpAddress.ToString()));
        Line(w, 2, "advertised_address", Quote(config.Media.AdvertisedAddress.ToString()));
        Line(w, 2, "rtp_port_min", config.Media.RtpPortMin);
        Line(w, 2, "rtp_port_max", config.Media.RtpPortMax);
        Line(w, 2, "rtp_timeout_seconds", config.Media.RtpTimeoutSeconds);
        Line(w, 1, "paths", null);
        Line(w, 2, "spool", Quote(config.Paths.Spool));
        Line(w, 2, "data", Quote(config.Paths.Data));
        w.AppendLine();
        w.AppendLine("logging:");
        Line(w, 1, "level", Name(config.Logging.Level));
        Line(w, 1, "format", Name(config.Logging.Format));
        Line(w, 1, "unmask_numbers", Bool(config.Logging.UnmaskNumbers));
        PrintApi(w, config.Api);
        w.AppendLine();
        w.AppendLine("retention:");
        Line(w, 1, "interval", RetentionSectionReader.Format(config.Retention.Interval));
        Line(w, 1, "access_bundle_days", config.Retention.AccessBundleDays);
        PrintTrunks(w, config.Trunks);
        PrintCampaigns(w, config.Campaigns);
        PrintAgents(w, config.Agents);
        PrintInbound(w, config.Inbound);
        PrintSupervision(w, config.Supervision);
        PrintPrivateCalls(w, config.PrivateCalls);
        PrintConsole(w, config.Console);
        return w.ToString();
    }

    private static void PrintTrunks(StringBuilder w, IReadOnlyList<TrunkConfig> trunks)
    {
        w.AppendLine();
        w.AppendLine(trunks.Count == 0 ? "trunks: []" : "trunks:");
        foreach (TrunkConfig t in trunks)
        {
            w.Append(CultureInfo.InvariantCulture, $"  - id: {Quote(t.Id)}\n");
            Line(w, 2, "host", Quote(t.Host));
            Line(w, 2, "port", t.Port);
            Line(w, 2, "transport", Name(t.Transport));
            Optional(w, 2, "username", t.Username);
            if (t.PasswordEnv is not null)
            {
                Line(w, 2, "password_env", t.PasswordEnv);
            }
            else if (t.Password is not null)
            {
                Line(w, 2, "password", Quote(Secret.Mask));
            }

            Optional(w, 2, "caller_id", t.CallerId);
            Line(w, 2, "codecs", "[" + string.Join(", ", t.Codecs.Select(Name)) + "]");
            Line(w, 2, "max_channels", t.MaxChannels);
            Optional(w, 2, "from_domain", t.FromDomain);
        }
    }

    private static void PrintCampaigns(StringBuilder w, IReadOnlyList<CampaignConfig> campaigns)
    {
        w.AppendLine();
        w.AppendLine(campaigns.Count == 0 ? "campaigns: []" : "campaigns:");
        foreach (CampaignConfig c in campaigns)
        {
            w.Append(CultureInfo.InvariantCulture, $"  - id: {Quote(c.Id)}\n");
            Line(w, 2, "name", Quote(c.Name));
            Line(w, 2, "trunk", Quote(c.Trunk));
            Optional(w, 2, "caller_id", c.CallerId);
            Line(w, 2, "language", c.Language);
            Line(w, 2, "announcement", c.Announcements.Count == 0 ? "{}" : null);
            foreach (var (language, path) in c.Announcements.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                Line(w, 3, language, Quote(path));
            }

            Line(w, 2, "agent_hears_announcement", Bool(c.AgentHearsAnnouncement));
            Optional(w, 2, "dial_prefix", c.DialPrefix is null ? null : Quote(c.DialPrefix));
            Line(w, 2, "allow_header_override", Bool(c.AllowHeaderOverride));
            RecordingRule r = c.Recording;
            Line(w, 2, "recording", null);
            Line(w, 3, "mode", Name(r.Mode));
            Optional(w, 3, "sample_percent", r.SamplePercent?.ToString(CultureInfo.InvariantCulture));
            Line(w, 3, "record_announcement", Bool(r.RecordAnnouncement));
            Line(w, 3, "include_barge", Bool(r.IncludeBarge));
            Line(w, 3, "max_minutes", (int)r.MaxDuration.TotalMinutes);
            Line(w, 3, "dtmf", null);
            Line(w, 4, "pause", Quote(r.Keys.Pause));
            Line(w, 4, "resume", Quote(r.Keys.Resume));
            Line(w, 4, "start", Quote(r.Keys.Start));
            Line(w, 4, "opposition", Quote(r.Keys.Opposition));
            Optional(w, 3, "prospect_opposition_key", r.ProspectOppositionKey is char k ? Quote(k.ToString()) : null);
            Line(w, 3, "purposes", "[" + string.Join(", ", r.Purposes.Select(Quote)) + "]");
            Optional(w, 3, "legal_basis", r.LegalBasis is LegalBasis b ? Name(b) : null);
            Optional(w, 3, "retention_days", r.RetentionDays?.ToString(CultureInfo.InvariantCulture));
            PrintAccess(w, c.AccessRules);
        }
    }

    private static void PrintAccess(StringBuilder w, CallSwitch.Compliance.Access.CampaignAccess access)
    {
        static string Roles(IReadOnlySet<CallSwitch.Compliance.Access.Role> roles) =>
            "[" + string.Join(", ", CallSwitch.Compliance.Access.RoleNames.All.Where(roles.Contains).Select(CallSwitch.Compliance.Access.RoleNames.ToCode)) + "]";

        Line(w, 2, "access", null);
        Line(w, 3, "listen", Roles(access.ListenRoles));
        Line(w, 3, "extract", Roles(access.ExtractRoles));
        Line(w, 3, "download", Roles(access.DownloadRoles));
        Line(w, 3, "agents_hear_own", Bool(access.AgentsListen));
        Line(w, 3, "purposes", "[" + string.Join(", ", access.Purposes.Select(Quote)) + "]");
        Line(w, 3, "extract_retention_days", access.ExtractRetentionDays);
        Line(w, 3, "extract_sample_per_agent", access.ExtractSamplePerAgent);
    }

    private static void PrintAgents(StringBuilder w, IReadOnlyList<AgentConfig> agents)
    {
        w.AppendLine();
        w.AppendLine(agents.Count == 0 ? "agents: []" : "agents:");
        foreach (AgentConfig a in agents)
        {
            w.Append(CultureInfo.InvariantCulture, $"  - extension: {Quote(a.Extension)}\n");
            Optional(w, 2, "display_name", a.DisplayName is null ? null : Quote(a.DisplayName));
            Optional(w, 2, "ha1_md5", a.Ha1Md5 is null ? null : Quote(Secret.Mask));
            Optional(w, 2, "ha1_sha256", a.Ha1Sha256 is null ? null : Quote(Secret.Mask));
            Optional(w, 2, "team", a.Team);
            Line(w, 2, "campaigns", "[" + string.Join(", ", a.Campaigns.Select(Quote)) + "]");
            Line(w, 2, "role", Name(a.Role));
            Optional(w, 2, "private_prefix", a.PrivatePrefix is null ? null : Quote(a.PrivatePrefix));
        }
    }

    private static void PrintPrivateCalls(StringBuilder w, PrivateCallsConfig p)
    {
        if (p.Prefix is null && p.Teams.Count == 0)
        {
            return;
        }

        w.AppendLine();
        w.AppendLine("private_calls:");
        Optional(w, 1, "prefix", p.Prefix is null ? null : Quote(p.Prefix));
        if (p.Teams.Count > 0)
        {
            Line(w, 1, "teams", null);
            foreach (var (team, prefix) in p.Teams.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                Line(w, 2, team, Quote(prefix));
            }
        }
    }

    private static void PrintApi(StringBuilder w, ApiConfig? api)
    {
        if (api is null)
        {
            return;
        }

        w.AppendLine();
        w.AppendLine("api:");
        Line(w, 1, "address", Quote(api.Address.ToString()));
        Line(w, 1, "port", api.Port);
        Line(w, 1, "clients", null);
        foreach (ApiClientConfig c in api.Clients)
        {
            w.Append(CultureInfo.InvariantCulture, $"    - id: {Quote(c.Id)}\n");
            Line(w, 3, "token_sha256", Quote(Secret.Mask));
            Line(w, 3, "agents", "[" + string.Join(", ", c.Agents.Select(Quote)) + "]");
        }
    }

    private static void PrintInbound(StringBuilder w, IReadOnlyList<InboundRouteConfig> inbound)
    {
        w.AppendLine();
        w.AppendLine(inbound.Count == 0 ? "inbound: []" : "inbound:");
        foreach (InboundRouteConfig i in inbound)
        {
            w.Append(CultureInfo.InvariantCulture, $"  - did: {Quote(i.Did)}\n");
            Optional(w, 2, "agent", i.Agent is null ? null : Quote(i.Agent));
            Optional(w, 2, "team", i.Team);
            Optional(w, 2, "campaign", i.Campaign);
        }
    }

    private static void PrintConsole(StringBuilder w, ConsoleConfig? console)
    {
        if (console is null)
        {
            return;
        }

        w.AppendLine();
        w.AppendLine("console:");
        Line(w, 1, "address", Quote(console.Address.ToString()));
        Line(w, 1, "port", console.Port);
        Line(w, 1, "session_minutes", console.SessionMinutes);
        Line(w, 1, "max_failures", console.MaxFailures);
        Line(w, 1, "lockout_minutes", console.LockoutMinutes);
        Line(w, 1, "trusted_proxies", "[" + string.Join(", ", console.TrustedProxies.Select(p => Quote(p.ToString()))) + "]");
    }

    private static void PrintSupervision(StringBuilder w, SupervisionConfig s)
    {
        w.AppendLine();
        w.AppendLine("supervision:");
        Line(w, 1, "codes", null);
        Line(w, 2, "listen", Quote(s.ListenCode));
        Line(w, 2, "whisper", Quote(s.WhisperCode));
        Line(w, 2, "barge", Quote(s.BargeCode));
        Line(w, 1, "keys", null);
        Line(w, 2, "listen", Quote(new string(s.ListenKey, 1)));
        Line(w, 2, "whisper", Quote(new string(s.WhisperKey, 1)));
        Line(w, 2, "barge", Quote(new string(s.BargeKey, 1)));
        Line(w, 1, "notify_agent", Bool(s.NotifyAgent));
    }

    private static void Line(StringBuilder w, int depth, string key, object? value)
    {
        w.Append(' ', depth * 2).Append(key).Append(':');
        if (value is not null)
        {
            w.Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        w.Append('\n');
    }

    private static void Optional(StringBuilder w, int depth, string key, string? value)
    {
        if (value is not null)
        {
            Line(w, depth, key, value);
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Name<T>(T value)
        where T : struct, Enum => YamlNodeReader.KebabName(value);

    /// <summary>Double-quotes a scalar so that '*', '#', ':' and leading '+' or digits read back as strings.</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
