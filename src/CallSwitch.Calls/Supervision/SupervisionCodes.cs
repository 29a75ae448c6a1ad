using CallSwitch.Configuration;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Calls.Supervision;

/// <summary>Reads the 'supervision' codes and keys: what a dialled number asks for, what a key press switches to.</summary>
/// <param name="config">The configured codes and keys.</param>
public sealed class SupervisionCodes(SupervisionConfig config)
{
    private readonly (string Code, SupervisionMode Mode)[] _codes =
        [.. new[] { (config.ListenCode, SupervisionMode.Listen), (config.WhisperCode, SupervisionMode.Whisper), (config.BargeCode, SupervisionMode.Barge) }
            .OrderByDescending(c => c.Item1.Length)];

    /// <summary>
    /// Whether <paramref name="dialled"/> (a Request-URI user part) is a supervision code followed
    /// by an extension, e.g. *711001.
    /// </summary>
    public bool TryParse(string dialled, out SupervisionMode mode, out string agent)
    {
        ArgumentNullException.ThrowIfNull(dialled);
        foreach ((string code, SupervisionMode codeMode) in _codes)
        {
            if (dialled.Length > code.Length && dialled.StartsWith(code, StringComparison.Ordinal))
            {
                mode = codeMode;
                agent = dialled[code.Length..];
                return true;
            }
        }

        mode = default;
        agent = "";
        return false;
    }

    /// <summary>The mode a key switches a session to; null for any other key.</summary>
    public SupervisionMode? ModeForKey(char key) =>
        key == config.ListenKey ? SupervisionMode.Listen
        : key == config.WhisperKey ? SupervisionMode.Whisper
        : key == config.BargeKey ? SupervisionMode.Barge
        : null;
}
