using System.Globalization;
using CallSwitch.Calls.Control;
using CallSwitch.Calls.Recording;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Analysis;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// Checks 2 to 6 on the test calls' recordings: made or not as the rule's mode says; the agent on
/// the left and the prospect on the right; a pause is silence on both; an opposition leaves no
/// audio and no key; the row's retention deadline is the rule's. What is expected comes from the
/// campaign's configured rule, never from what the switch decided.
/// </summary>
internal sealed class RecordingChecks
{
    /// <summary>Each party must be this much louder on its own channel than on the other.</summary>
    public const double SeparationDb = 20;

    /// <summary>A paused span's level on both channels must stay below this.</summary>
    public const double SilenceDbfs = -60;

    /// <summary>Kept off the edges of a measured span: the recorder's 100 ms playout delay and the codec's overlap.</summary>
    private const double Margin = 0.12;

    private readonly string _campaign;
    private readonly RecordingRule _rule;
    private readonly IsolatedSwitch _switch;
    private readonly MainCall _main;
    private readonly Lazy<RecordedAudio?> _audio;

    public RecordingChecks(string campaign, RecordingRule rule, IsolatedSwitch isolated, MainCall main)
    {
        _campaign = campaign;
        _rule = rule;
        _switch = isolated;
        _main = main;
        _audio = new Lazy<RecordedAudio?>(() => main.Result?.FilePath is { } path && File.Exists(path) ? RecordedAudio.Open(isolated.Vault, path) : null);
    }

    /// <summary>Check 2: the main call was recorded, or not, as the mode says.</summary>
    public SelfTestCheck Exists(OppositionCall opposition)
    {
        const int Number = 2;
        const string Name = "recording per the rule";
        RecordingResult? result = _main.Result;
        string[] files = Directory.EnumerateFiles(_switch.Vault.SpoolDirectory, "*", SearchOption.AllDirectories).ToArray();
        switch (_rule.Mode)
        {
            case RecordingMode.Never:
                if (result is not null || opposition.Started is not null || files.Length > 0)
                {
                    string what = result is not null ? $"recording {result.RecordingId} was made ({result.Duration.TotalSeconds:0.0} s)" : $"{files.Length} file(s) were written to the spool";
                    return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the campaign records never, yet {what}");
                }

                return _main.Call.Recorded
                    ? new(_campaign, Number, Name, SelfTestOutcome.Fail, "the campaign records never, yet the call's row says recorded")
                    : new(_campaign, Number, Name, SelfTestOutcome.Ok, "mode never: nothing in the spool, the call's row says not recorded");
            case RecordingMode.OnDemand:
                if (_main.StartedBeforeAsked || _main.AtConnection != RecordingState.Off)
                {
                    return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"mode on-demand, yet the call was {Word(_main.AtConnection)} before anyone asked");
                }

                if (_main.Start?.Outcome != RecordingActionOutcome.Done)
                {
                    return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"mode on-demand: starting through the call-control API answered {_main.Start?.Outcome}");
                }

                return Made(Number, Name, "mode on-demand: not recorded until asked, then started through the call-control API");
            case RecordingMode.Sample:
                return result is null
                    ? new(_campaign, Number, Name, SelfTestOutcome.Ok, $"mode sample ({_rule.SamplePercent}%): this call was sampled out, nothing recorded")
                    : Made(Number, Name, $"mode sample ({_rule.SamplePercent}%): this call was sampled in");
            default:
                return Made(Number, Name, "mode always: recorded from the answer");
        }
    }

    /// <summary>Check 3: the agent on the left, the prospect on the right, each clearly apart.</summary>
    public SelfTestCheck Channels()
    {
        const int Number = 3;
        const string Name = "channels carry the right party";
        if (Missing(Number, Name) is { } missing)
        {
            return missing;
        }

        RecordedAudio audio = _audio.Value!;
        double from = Connected() + 0.3;
        double to = (_main.Result!.PauseSpans.Count > 0 ? _main.Result.PauseSpans[0].Start.TotalSeconds : audio.Seconds) - Margin;
        if (to - from < 0.3)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"only {Math.Max(0, to - from):0.00} s of connected audio before the pause to measure ({audio.Seconds:0.00} s recorded)");
        }

        double agent = ToneMeter.Decibels(audio.TonePower(0, TestCalls.AgentHz, from, to), audio.TonePower(1, TestCalls.AgentHz, from, to));
        double prospect = ToneMeter.Decibels(audio.TonePower(1, TestCalls.ProspectHz, from, to), audio.TonePower(0, TestCalls.ProspectHz, from, to));
        string measured = $"agent's tone {Db(agent)} dB louder on the left than on the right, prospect's {Db(prospect)} dB louder on the right ({from:0.00}–{to:0.00} s)";
        return agent >= SeparationDb && prospect >= SeparationDb
            ? new(_campaign, Number, Name, SelfTestOutcome.Ok, measured)
            : new(_campaign, Number, Name, SelfTestOutcome.Fail, $"{measured}; each must be at least {SeparationDb:0} dB");
    }

    /// <summary>Check 4: the span paused through the call-control API is silence on both channels, and the agent is back after the resume.</summary>
    public SelfTestCheck Pause()
    {
        const int Number = 4;
        const string Name = "pause leaves silence";
        if (_main.Result is null && _main.Pause.Outcome == RecordingActionOutcome.NotApplicable)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.NotApplicable, $"nothing recorded (mode {Word(_rule.Mode)}): the call-control API answered the pause {_main.Pause.Outcome}");
        }

        if (Missing(Number, Name) is { } missing)
        {
            return missing;
        }

        if (_main.Pause.Outcome != RecordingActionOutcome.Done || _main.Resume.Outcome != RecordingActionOutcome.Done)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the call-control API answered the pause {_main.Pause.Outcome} and the resume {_main.Resume.Outcome}");
        }

        if (_main.Result!.PauseSpans is not [PauseSpan { End: { } end } span, ..])
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, "the recording's result holds no closed paused span after a pause and a resume");
        }

        if (_main.Recording?.Pauses.Count is null or 0)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, "the recording's row holds no pause");
        }

        RecordedAudio audio = _audio.Value!;
        double from = span.Start.TotalSeconds + Margin;
        double to = end.TotalSeconds - Margin;
        double left = audio.Dbfs(0, from, to);
        double right = audio.Dbfs(1, from, to);
        double after = end.TotalSeconds + 0.3;
        double back = ToneMeter.Decibels(audio.TonePower(0, TestCalls.AgentHz, after, audio.Seconds - Margin), audio.TonePower(1, TestCalls.AgentHz, after, audio.Seconds - Margin));
        string measured = $"paused {span.Start.TotalSeconds:0.00}–{end.TotalSeconds:0.00} s: left {Db(left)} dBFS, right {Db(right)} dBFS";
        if (left > SilenceDbfs || right > SilenceDbfs)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"{measured}; silence is below {SilenceDbfs:0} dBFS on both");
        }

        return back >= SeparationDb
            ? new(_campaign, Number, Name, SelfTestOutcome.Ok, $"{measured}; the agent is back on the left after the resume")
            : new(_campaign, Number, Name, SelfTestOutcome.Fail, $"{measured}, but after the resume the agent's tone is only {Db(back)} dB above the right channel");
    }

    /// <summary>Check 5: the refused recording left no file, no key, only the refusal in its row.</summary>
    public SelfTestCheck Opposition(OppositionCall call)
    {
        const int Number = 5;
        const string Name = "opposition destroys the audio";
        if (call.Started is not { } started)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.NotApplicable, $"nothing recorded on the second call (mode {Word(_rule.Mode)}): the call-control API answered the opposition {call.Oppose.Outcome}");
        }

        if (call.Oppose.Outcome != RecordingActionOutcome.Done)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the call-control API answered the opposition {call.Oppose.Outcome}");
        }

        if (File.Exists(started.FilePath))
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the refused recording's file is still there ({started.FilePath})");
        }

        try
        {
            _switch.Vault.Keys.GetDataKey(started.KeyId);
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the refused recording's data key {started.KeyId} still unwraps");
        }
        catch (KeyNotFoundException)
        {
            // Shredded, as it must be.
        }

        if (call.Recording is not { Opposition: { } refusal } row || row.FilePath is not null || row.KeyId is not null || row.FileSize is not null)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the refused recording's row does not keep the refusal alone (opposition {call.Recording?.Opposition?.By}, file {call.Recording?.FilePath ?? "none"}, key {call.Recording?.KeyId?.ToString() ?? "none"})");
        }

        return new(_campaign, Number, Name, SelfTestOutcome.Ok, $"refused through the call-control API: file deleted, data key shredded, the row keeps only the refusal ({Word(refusal.By)}, {refusal.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC)");
    }

    /// <summary>Check 6: the row's purge deadline is the rule's (<see cref="RetentionPolicy.Deadline"/>: start + retention days).</summary>
    public SelfTestCheck Retention()
    {
        const int Number = 6;
        const string Name = "retention deadline";
        if (Missing(Number, Name) is { } missing)
        {
            return missing;
        }

        if (_main.Recording is not { } row)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, "the recording has no row in the store");
        }

        if (RetentionPolicy.Deadline(_rule, row.StartedAt) is not { } expected)
        {
            return new(_campaign, Number, Name, SelfTestOutcome.Fail, $"the rule sets no retention, yet the recording is kept until {Instant(row.RetentionUntil)}");
        }

        string measured = $"the row keeps it until {Instant(row.RetentionUntil)}; the rule says {Instant(expected)} (start + {_rule.RetentionDays} days)";
        // The store keeps microseconds; the recorder's value has the clock's ticks.
        return row.RetentionUntil == expected && _main.Result!.RetentionDeadline is { } recorded && Math.Abs((recorded - expected).TotalMicroseconds) < 1
            ? new(_campaign, Number, Name, SelfTestOutcome.Ok, measured)
            : new(_campaign, Number, Name, SelfTestOutcome.Fail, $"{measured}; the recorder said {(_main.Result!.RetentionDeadline is { } said ? Instant(said) : "none")}");
    }

    /// <summary>Null when the main call's recording can be measured; else the line saying why not.</summary>
    private SelfTestCheck? Missing(int number, string name)
    {
        if (_main.Result is null)
        {
            return _rule.Mode is RecordingMode.Never or RecordingMode.Sample
                ? new(_campaign, number, name, SelfTestOutcome.NotApplicable, $"nothing recorded (mode {Word(_rule.Mode)})")
                : new(_campaign, number, name, SelfTestOutcome.Fail, "no recording to check (see check 2)");
        }

        return _audio.Value is null
            ? new(_campaign, number, name, SelfTestOutcome.Fail, $"the recording's file is missing ({_main.Result.FilePath ?? "none"})")
            : null;
    }

    private SelfTestCheck Made(int number, string name, string how)
    {
        RecordingResult? result = _main.Result;
        if (result is null)
        {
            return new(_campaign, number, name, SelfTestOutcome.Fail, $"{how}, but no recording was made");
        }

        if (result.FilePath is null || !File.Exists(result.FilePath))
        {
            return new(_campaign, number, name, SelfTestOutcome.Fail, $"{how}, but the recording's file is missing ({result.FilePath ?? "none"})");
        }

        if (_main.Recording is not { Status: RecordingStatus.Complete })
        {
            return new(_campaign, number, name, SelfTestOutcome.Fail, $"{how}, but its row is {(_main.Recording is null ? "missing" : Word(_main.Recording.Status))}");
        }

        return new(_campaign, number, name, SelfTestOutcome.Ok, $"{how}: {result.Duration.TotalSeconds:0.0} s, complete, file and row in the isolated store");
    }

    /// <summary>Where the agent's part starts in the recording: the notice's end, or the recording's start when it began later.</summary>
    private double Connected() =>
        _main.Result is { AnnouncementEndedAt: { } ended, StartedAt: var started } && ended > started ? (ended - started).TotalSeconds : 0;

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Db(double db) => double.IsFinite(db) && db > -150 ? db.ToString("0", CultureInfo.InvariantCulture) : "-inf";

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
