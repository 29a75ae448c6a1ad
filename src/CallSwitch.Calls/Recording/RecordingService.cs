using CallSwitch.Compliance.Rules;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Sessions;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Vault;
using CallSwitch.Recording.Opus;
using Serilog;

namespace CallSwitch.Calls.Recording;

/// <summary>
/// What every recorded call of a switch shares: the vault (spool, keys, encoder), the clock and
/// the rule policy. Decides per call (<see cref="Begin"/>) and raises <see cref="Started"/> and
/// <see cref="Finished"/> for each recording, for the metadata store to persist.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RecordingService
{
    private long _failures;

    /// <summary>Creates the service.</summary>
    /// <param name="vault">Where recordings are made, kept and shredded.</param>
    /// <param name="time">Clock of the timelines and the length limits.</param>
    /// <param name="policy">Applies the rules (sample draws); a fresh one by default.</param>
    public RecordingService(RecordingVault vault, TimeProvider time, IRecordingPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(time);
        Vault = vault;
        Time = time;
        Policy = policy ?? new RecordingPolicy();
    }

    /// <summary>
    /// A recording started: its file exists, nothing is written in it yet. Raised on the thread
    /// that started it, before any byte reaches the file; a handler saves the metadata row and may
    /// hold the bytes back until it is committed (<see cref="RecordingStarted.HoldAudioUntil"/>).
    /// A handler's exception is logged, never thrown into the call. Always raised before the same
    /// recording's <see cref="Finished"/>.
    /// </summary>
    public event Action<RecordingStarted>? Started;

    /// <summary>A recording was closed; its metadata. Raised on a background thread; a handler's exception is logged, never thrown into the call.</summary>
    public event Action<RecordingResult>? Finished;

    /// <summary>The vault: spool, keys and encoder settings.</summary>
    public RecordingVault Vault { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The rule policy.</summary>
    public IRecordingPolicy Policy { get; }

    /// <summary>The vault's encoder settings.</summary>
    public StereoOpusEncoderOptions Encoder => Vault.Encoder;

    /// <summary>
    /// The longest a recording's bytes wait for its metadata row (<see cref="RecordingStarted.HoldAudioUntil"/>)
    /// before they are written anyway (logged): a stalled store must not cost the recording. Five seconds by default.
    /// </summary>
    public TimeSpan AudioHoldLimit { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Steps every recording's pump on a fixed crew of threads (the switch's); null: each pump runs
    /// on a task of its own (a service made by a test). Owned by whoever created it.
    /// </summary>
    public RecorderScheduler? Scheduler { get; init; }

    /// <summary>Recordings that could not start or failed while writing, since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// The call was answered: applies its campaign's rule (the decision is logged with the rule's
    /// id) and starts recording when it says so. Null when the call has no rule (no campaign).
    /// </summary>
    public CallRecordingControl? Begin(string callId, CallPlan plan, CallMedia media, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(log);
        if (plan.Recording is not { } rule)
        {
            return null;
        }

        RecordingDecision decision = Policy.Decide(rule);
        log.Information("Recording rule {Rule}: {Start} ({Reason})", rule.Id, decision.Start, decision.Reason);
        var control = new CallRecordingControl(this, callId, plan, rule, decision, media, log);
        try
        {
            media.SetDigitInterceptor(control.CreateKeypad());
        }
        catch (ArgumentException e)
        {
            // The configuration loader refuses such rules; one built otherwise records without keys.
            log.Error("Recording keys of rule {Rule} unusable: {Error}; the agent's keys are relayed as they are", rule.Id, e.Message);
        }

        control.OnAnswered();
        return control;
    }

    internal void CountFailure() => Interlocked.Increment(ref _failures);

    internal void PublishStarted(RecordingStarted started, ILogger log)
    {
        try
        {
            Started?.Invoke(started);
        }
        catch (Exception e)
        {
            // As for Finished: the store's trouble must not become the call's.
            log.Error(e, "A handler of recording {RecordingId}'s start failed", started.RecordingId);
        }
    }

    internal void Publish(RecordingResult result, ILogger log)
    {
        if (result.Opposition is { } opposition)
        {
            log.Information(
                "Recording {RecordingId} finished: refused by the {By} at {At:O}, no audio kept, rule {Rule}",
                result.RecordingId,
                opposition.By.ToString().ToLowerInvariant(),
                opposition.At,
                result.RuleId);
        }
        else
        {
            log.Information(
                "Recording {RecordingId} finished: {Status}, {Duration} s, stopped by {StopReason}, {Dropped} packet(s) dropped, {Size} bytes, key {KeyId}, rule {Rule}, file {File}",
                result.RecordingId,
                result.Status,
                Math.Round(result.Duration.TotalSeconds, 2),
                result.StopReason,
                result.DroppedPackets,
                result.FileSize,
                result.KeyId,
                result.RuleId,
                result.FilePath);
        }

        try
        {
            Finished?.Invoke(result);
        }
        catch (Exception e)
        {
            // The store's trouble must not become the call's.
            log.Error(e, "A handler of recording {RecordingId} failed", result.RecordingId);
        }
    }
}
