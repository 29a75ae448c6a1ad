using CallSwitch.Compliance.Rules;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'campaigns', checking trunks, caller ids, announcements and dial prefixes.</summary>
internal static class CampaignSectionReader
{
    public static List<CampaignConfig> Read(ConfigReadContext ctx, YamlSequenceNode? list, IReadOnlyList<TrunkConfig> trunks)
    {
        YamlNodeReader r = ctx.Reader;
        var result = new List<CampaignConfig>();
        var prefixes = new List<(string Prefix, string Campaign)>();
        if (list is null)
        {
            return result;
        }

        foreach (YamlNode item in list)
        {
            YamlMappingNode? m = r.Mapping(item, "a campaign");
            if (m is null)
            {
                continue;
            }

            r.CheckKeys(m, "a campaign", "id", "name", "trunk", "caller_id", "language", "announcement", "agent_hears_announcement", "dial_prefix", "allow_header_override", "recording", "access");
            string? id = ctx.Token(m, "id", "campaign id", required: true);
            string? trunkId = r.String(m, "trunk", required: true);
            TrunkConfig? trunk = trunkId is null ? null : trunks.FirstOrDefault(t => t.Id == trunkId);
            if (trunkId is not null && trunk is null)
            {
                r.Error(r.Child(m, "trunk")!, $"campaign '{id}' uses trunk '{trunkId}', which is not defined ({AgentSectionReader.Known(trunks.Select(t => t.Id))})");
            }

            string? callerId = ctx.PhoneNumber(m, "caller_id");
            if (callerId is null && r.Child(m, "caller_id") is null && trunk is not null && trunk.CallerId is null)
            {
                r.Error(m, $"campaign '{id}' has no caller id: give 'caller_id' here or on trunk '{trunkId}'");
            }

            string? language = ReadLanguage(r, m, "language", r.String(m, "language", required: true));
            var announcements = ReadAnnouncements(ctx, r.Mapping(r.Child(m, "announcement"), "'announcement'"));
            RecordingRule recording = RecordingSectionReader.Read(r, r.Mapping(r.Child(m, "recording"), "'recording'"), id ?? string.Empty);
            if (recording.Mode != RecordingMode.Never && language is not null && !announcements.ContainsKey(language))
            {
                // GDPR Art. 13: the prospect is told before anything is recorded.
                r.Error(r.Child(m, "announcement") ?? m, $"campaign '{id}' records calls (mode {YamlNodeReader.KebabName(recording.Mode)}) but has no announcement for its language '{language}': prospects must be told before they are recorded");
            }

            string? prefix = ReadDialPrefix(r, m, id, prefixes);
            if (id is not null && result.Any(c => c.Id == id))
            {
                r.Error(r.Child(m, "id")!, $"campaign id '{id}' is given twice");
                continue;
            }

            result.Add(new CampaignConfig
            {
                Id = id ?? string.Empty,
                Name = r.String(m, "name", required: true) ?? string.Empty,
                Trunk = trunkId ?? string.Empty,
                CallerId = callerId,
                Language = language ?? string.Empty,
                Announcements = announcements,
                AgentHearsAnnouncement = r.Bool(m, "agent_hears_announcement", false),
                DialPrefix = prefix,
                AllowHeaderOverride = r.Bool(m, "allow_header_override", false),
                Recording = recording,
                Access = AccessSectionReader.Read(r, r.Mapping(r.Child(m, "access"), "'access'"), recording),
            });
        }

        return result;
    }

    /// <summary>A language tag as used for announcements: fr, en, pt-br (RFC 5646, lower-cased).</summary>
    private static string? ReadLanguage(YamlNodeReader r, YamlNode node, string what, string? text)
    {
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split('-');
        bool valid = parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetter)
            && parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
        if (!valid)
        {
            YamlNode at = node is YamlMappingNode m ? r.Child(m, what) ?? node : node;
            r.Error(at, $"'{text}' is not a language code (such as fr, en or pt-br)");
            return null;
        }

        return text.ToLowerInvariant();
    }

    private static Dictionary<string, string> ReadAnnouncements(ConfigReadContext ctx, YamlMappingNode? m)
    {
        YamlNodeReader r = ctx.Reader;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (m is null)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in m.Children)
        {
            string? language = ReadLanguage(r, keyNode, "announcement", (keyNode as YamlScalarNode)?.Value ?? string.Empty);
            if (valueNode is not YamlScalarNode { Value: { Length: > 0 } text })
            {
                r.Error(valueNode, "an announcement must be the path of a WAV file");
                continue;
            }

            if (!text.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
            {
                r.Error(valueNode, $"announcement '{text}' must be a WAV file (.wav)");
                continue;
            }

            string? path = ctx.ResolvePath(valueNode, "announcement", text);
            if (path is not null && !File.Exists(path))
            {
                r.Error(valueNode, $"announcement file '{text}' does not exist (looked for {path})");
            }

            if (language is not null && path is not null && !result.TryAdd(language, path))
            {
                r.Error(keyNode, $"language '{language}' has two announcements");
            }
        }

        if (m.Children.Count == 0)
        {
            r.Error(m, "'announcement' needs at least one language: path entry");
        }

        return result;
    }

    private static string? ReadDialPrefix(YamlNodeReader r, YamlMappingNode m, string? id, List<(string Prefix, string Campaign)> seen)
    {
        string? prefix = r.String(m, "dial_prefix");
        if (prefix is null)
        {
            return null;
        }

        YamlNode node = r.Child(m, "dial_prefix")!;
        if (prefix.Length > 8 || !prefix.All(char.IsAsciiDigit))
        {
            r.Error(node, $"'dial_prefix' must be 1 to 8 digits, not '{prefix}'");
            return null;
        }

        // Prefixes are matched on the dialled digits: one that begins another would make the
        // choice depend on the number dialled, so both would be ambiguous.
        foreach (var (other, campaign) in seen)
        {
            if (other.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(other, StringComparison.Ordinal))
            {
                r.Error(node, other == prefix
                    ? $"dial prefix '{prefix}' is already used by campaign '{campaign}'"
                    : $"dial prefix '{prefix}' overlaps campaign '{campaign}''s prefix '{other}': no prefix may begin another");
                return null;
            }
        }

        seen.Add((prefix, id ?? string.Empty));
        return prefix;
    }
}
