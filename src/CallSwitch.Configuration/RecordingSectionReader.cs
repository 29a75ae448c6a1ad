using CallSwitch.Compliance.Rules;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads a campaign's 'recording' section into its <see cref="RecordingRule"/>: mode, GDPR purposes, legal basis, retention and DTMF keys.</summary>
internal static class RecordingSectionReader
{
    private const string DtmfDigits = "0123456789*#";

    public static RecordingRule Read(YamlNodeReader r, YamlMappingNode? m, string campaignId)
    {
        var d = new RecordingRule { CampaignId = campaignId };
        if (m is null)
        {
            return d;
        }

        r.CheckKeys(m, "'recording'", "mode", "sample_percent", "record_announcement", "include_barge", "max_minutes", "dtmf", "prospect_opposition_key", "purposes", "legal_basis", "retention_days");
        RecordingMode mode = r.NullableEnum<RecordingMode>(m, "mode", required: true) ?? d.Mode;
        bool records = mode != RecordingMode.Never;

        int? sample = r.NullableInt(m, "sample_percent", 0, 100, required: mode == RecordingMode.Sample);
        if (mode != RecordingMode.Sample && r.Child(m, "sample_percent") is YamlNode sampleNode)
        {
            r.Error(sampleNode, "'sample_percent' applies only to mode sample");
            sample = null;
        }

        var purposes = new List<string>();
        foreach (var (purpose, node) in r.Strings(m, "purposes") ?? [])
        {
            if (purposes.Contains(purpose, StringComparer.OrdinalIgnoreCase))
            {
                r.Error(node, $"purpose '{purpose}' is listed twice");
            }
            else
            {
                purposes.Add(purpose);
            }
        }

        if (records && purposes.Count == 0)
        {
            // GDPR Art. 5(1)(b): data are collected for specified purposes.
            r.Error(r.Child(m, "purposes") ?? m, "a campaign that records needs at least one entry in 'purposes'");
        }

        return new RecordingRule
        {
            CampaignId = campaignId,
            Mode = mode,
            SamplePercent = sample,
            RecordAnnouncement = r.Bool(m, "record_announcement", d.RecordAnnouncement),
            IncludeBarge = r.Bool(m, "include_barge", d.IncludeBarge),
            MaxDuration = TimeSpan.FromMinutes(r.Int(m, "max_minutes", (int)d.MaxDuration.TotalMinutes, 1, 1440)),
            Keys = ReadDtmf(r, r.Mapping(r.Child(m, "dtmf"), "'dtmf'")),
            ProspectOppositionKey = ReadOppositionKey(r, m),
            Purposes = purposes,
            LegalBasis = r.NullableEnum<LegalBasis>(m, "legal_basis", required: records),
            RetentionDays = r.NullableInt(m, "retention_days", 1, 3650, required: records),
        };
    }

    private static char? ReadOppositionKey(YamlNodeReader r, YamlMappingNode m)
    {
        string? key = r.String(m, "prospect_opposition_key");
        if (key is null)
        {
            return null;
        }

        if (key.Length != 1 || !DtmfDigits.Contains(key[0], StringComparison.Ordinal))
        {
            r.Error(r.Child(m, "prospect_opposition_key")!, $"'prospect_opposition_key' must be one key of the keypad (0-9, * or #), not '{key}'");
            return null;
        }

        return key[0];
    }

    private static DtmfKeys ReadDtmf(YamlNodeReader r, YamlMappingNode? m)
    {
        var d = new DtmfKeys();
        if (m is null)
        {
            return d;
        }

        r.CheckKeys(m, "'dtmf'", "pause", "resume", "start", "opposition");
        var keys = new DtmfKeys
        {
            Pause = Sequence(r, m, "pause", d.Pause),
            Resume = Sequence(r, m, "resume", d.Resume),
            Start = Sequence(r, m, "start", d.Start),
            Opposition = Sequence(r, m, "opposition", d.Opposition),
        };

        // The switch acts as soon as the digits typed so far equal a sequence: one that begins
        // another would hide it.
        var all = new (string Name, string Keys)[] { ("pause", keys.Pause), ("resume", keys.Resume), ("start", keys.Start), ("opposition", keys.Opposition) };
        for (int i = 0; i < all.Length; i++)
        {
            for (int j = i + 1; j < all.Length; j++)
            {
                if (all[i].Keys.StartsWith(all[j].Keys, StringComparison.Ordinal) || all[j].Keys.StartsWith(all[i].Keys, StringComparison.Ordinal))
                {
                    r.Error(r.Child(m, all[j].Name) ?? r.Child(m, all[i].Name) ?? m, $"DTMF sequences '{all[i].Name}' ({all[i].Keys}) and '{all[j].Name}' ({all[j].Keys}) clash: no sequence may begin another");
                }
            }
        }

        return keys;
    }

    private static string Sequence(YamlNodeReader r, YamlMappingNode m, string key, string fallback)
    {
        string? text = r.String(m, key);
        if (text is null)
        {
            return fallback;
        }

        if (text.Length is 0 or > 8 || !text.All(c => DtmfDigits.Contains(c, StringComparison.Ordinal)))
        {
            r.Error(r.Child(m, key)!, $"DTMF sequence '{key}' must be 1 to 8 keys among 0-9, * and #, not '{text}'");
            return fallback;
        }

        return text;
    }
}
