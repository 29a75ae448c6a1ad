using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'supervision': feature codes, mode keys, notify_agent; every error with its line and column.</summary>
internal static class SupervisionSectionReader
{
    private const string KeypadDigits = "0123456789*#";
    private static readonly string[] Modes = ["listen", "whisper", "barge"];

    public static SupervisionConfig Read(YamlNodeReader r, YamlMappingNode? m)
    {
        var d = new SupervisionConfig();
        if (m is null)
        {
            return d;
        }

        r.CheckKeys(m, "'supervision'", "codes", "keys", "notify_agent");
        string[] codes = [d.ListenCode, d.WhisperCode, d.BargeCode];
        YamlMappingNode? codesNode = r.Mapping(r.Child(m, "codes"), "'codes'");
        if (codesNode is not null)
        {
            r.CheckKeys(codesNode, "'codes'", Modes);
            for (int i = 0; i < Modes.Length; i++)
            {
                codes[i] = Code(r, codesNode, Modes[i], codes[i]);
            }

            // The extension follows the code: a code that begins another would take its calls.
            for (int i = 0; i < codes.Length; i++)
            {
                for (int j = i + 1; j < codes.Length; j++)
                {
                    if (codes[i].StartsWith(codes[j], StringComparison.Ordinal) || codes[j].StartsWith(codes[i], StringComparison.Ordinal))
                    {
                        r.Error(r.Child(codesNode, Modes[j]) ?? r.Child(codesNode, Modes[i]) ?? codesNode, $"supervision codes '{Modes[i]}' ({codes[i]}) and '{Modes[j]}' ({codes[j]}) clash: no code may begin another");
                    }
                }
            }
        }

        char[] keys = [d.ListenKey, d.WhisperKey, d.BargeKey];
        YamlMappingNode? keysNode = r.Mapping(r.Child(m, "keys"), "'keys'");
        if (keysNode is not null)
        {
            r.CheckKeys(keysNode, "'keys'", Modes);
            for (int i = 0; i < Modes.Length; i++)
            {
                keys[i] = Key(r, keysNode, Modes[i], keys[i]);
            }

            for (int i = 0; i < keys.Length; i++)
            {
                for (int j = i + 1; j < keys.Length; j++)
                {
                    if (keys[i] == keys[j])
                    {
                        r.Error(r.Child(keysNode, Modes[j]) ?? keysNode, $"supervision keys '{Modes[i]}' and '{Modes[j]}' are both '{keys[i]}': give each mode its own key");
                    }
                }
            }
        }

        return new SupervisionConfig
        {
            ListenCode = codes[0],
            WhisperCode = codes[1],
            BargeCode = codes[2],
            ListenKey = keys[0],
            WhisperKey = keys[1],
            BargeKey = keys[2],
            NotifyAgent = r.Bool(m, "notify_agent", d.NotifyAgent),
        };
    }

    private static string Code(YamlNodeReader r, YamlMappingNode m, string key, string fallback)
    {
        string? code = r.String(m, key);
        if (code is null)
        {
            return fallback;
        }

        if (code.Length is 0 or > 8 || !code.All(c => KeypadDigits.Contains(c, StringComparison.Ordinal)))
        {
            r.Error(r.Child(m, key)!, $"supervision code '{key}' must be 1 to 8 keypad keys (0-9, * or #), not '{code}'");
            return fallback;
        }

        return code;
    }

    private static char Key(YamlNodeReader r, YamlMappingNode m, string key, char fallback)
    {
        string? text = r.String(m, key);
        if (text is null)
        {
            return fallback;
        }

        if (text.Length != 1 || !KeypadDigits.Contains(text[0], StringComparison.Ordinal))
        {
            r.Error(r.Child(m, key)!, $"supervision key '{key}' must be one key of the keypad (0-9, * or #), not '{text}'");
            return fallback;
        }

        return text[0];
    }
}
