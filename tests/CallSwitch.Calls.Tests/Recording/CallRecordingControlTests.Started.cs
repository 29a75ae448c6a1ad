using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Recording;

/// <summary>
/// <see cref="RecordingService.Started"/>: raised before any byte reaches the spool, with what the
/// metadata row needs; the file's bytes wait for the row (or the hold limit) while the timeline runs on.
/// </summary>
public sealed partial class CallRecordingControlTests
{
    [Fact]
    public async Task TheFileStaysEmptyUntilTheRowIsSavedAndThenHoldsTheWholeRecording()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        var saved = new TaskCompletionSource();
        var events = new List<string>();
        RecordingStarted? started = null;
        service.Started += s =>
        {
            started = s;
            events.Add("started");
            Assert.Equal(0, new FileInfo(s.FilePath).Length);
            s.HoldAudioUntil(saved.Task);
        };
        service.Finished += _ => events.Add("finished");

        CallRecordingControl control = service.Begin("s1", StartedPlan(), _media, Logger.None)!;
        Assert.NotNull(started);
        Assert.Equal("s1", started.CallId);
        Assert.Equal("spring:always", started.RuleId);
        Assert.Equal("+33612345678", started.ProspectNumber);
        Assert.Equal(LegalBasis.Consent, started.LegalBasis);
        Assert.Equal(_time.GetUtcNow(), started.StartedAt);
        Assert.Equal(started.StartedAt.AddDays(10), started.RetentionDeadline);
        Assert.Equal(["training"], started.Purposes);
        Assert.Equal(Path.Combine(_spool, "2025", "03", "04", started.RecordingId + ".ogg.enc"), started.FilePath);

        // Two seconds of timeline while the store is slow: nothing on disk yet.
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(0, new FileInfo(started.FilePath).Length);

        saved.SetResult();
        await WaitAsync(() => new FileInfo(started.FilePath).Length > 0);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await control.EndAsync();

        Assert.Equal(["started", "finished"], events);
        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.InRange(result.Duration.TotalSeconds, 2.9, 3.1);
        Assert.Equal(new FileInfo(result.FilePath!).Length, result.FileSize);

        // The held-back seconds were not lost: the Ogg stream's last granule covers all three.
        byte[] ogg = ReadWhole(result.FilePath!);
        long granule = BitConverter.ToInt64(ogg, ogg.AsSpan().LastIndexOf("OggS"u8) + 6);
        Assert.InRange(granule / 48000.0, 2.9, 3.1);
    }

    [Fact]
    public async Task AFinishedRecordingsRecorderIsNotKeptByTheCallThatMadeIt()
    {
        // An ended call stays reachable for 32 s (its INVITE client transaction answers 2xx
        // retransmissions, RFC 6026): its finished recorder, ~300 KB of buffers, must not.
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        CallRecordingControl control = service.Begin("s9", StartedPlan(), _media, Logger.None)!;
        (WeakReference recorder, WeakReference agentTap) = RecorderOf(control);
        await AdvanceAsync(TimeSpan.FromSeconds(0.4));
        await control.EndAsync();
        Assert.Single(control.Results);

        for (int i = 0; i < 10 && (recorder.IsAlive || agentTap.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }

        Assert.False(recorder.IsAlive, "the ended call still holds its recorder");
        Assert.False(agentTap.IsAlive, "the ended call still holds its recorder's left-channel queue");
        GC.KeepAlive(control);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference Recorder, WeakReference AgentTap) RecorderOf(CallRecordingControl control)
    {
        var recorder = (CallRecorder)(typeof(CallRecordingControl).GetField("_recorder", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(control)
            ?? throw new InvalidOperationException("no recorder"));
        return (new WeakReference(recorder), new WeakReference(recorder.AgentTap));
    }

    [Fact]
    public async Task AStalledStoreHoldsTheBytesNoLongerThanTheLimit()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time) { AudioHoldLimit = TimeSpan.FromSeconds(1) };
        string? path = null;
        service.Started += s =>
        {
            path = s.FilePath;
            s.HoldAudioUntil(new TaskCompletionSource().Task);
        };

        CallRecordingControl control = service.Begin("s2", StartedPlan(), _media, Logger.None)!;
        await AdvanceAsync(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, new FileInfo(path!).Length);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await WaitAsync(() => new FileInfo(path!).Length > 0);
        await control.EndAsync();

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.NotEmpty(ReadWhole(result.FilePath!));
    }

    [Fact]
    public async Task ARecordingStoppedBeforeItsRowWasSavedStillWritesItsFile()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        service.Started += s => s.HoldAudioUntil(new TaskCompletionSource().Task);

        CallRecordingControl control = service.Begin("s3", StartedPlan(), _media, Logger.None)!;
        await AdvanceAsync(TimeSpan.FromSeconds(0.4));
        await control.EndAsync();

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.Equal(new FileInfo(result.FilePath!).Length, result.FileSize);
        Assert.NotEmpty(ReadWhole(result.FilePath!));
    }

    private byte[] ReadWhole(string path)
    {
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), id => _keys.GetDataKey(id).Key.ToArray());
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return plain.ToArray();
    }

    private static CallPlan StartedPlan() => Plan(new RecordingRule
    {
        CampaignId = "spring",
        Mode = RecordingMode.Always,
        Purposes = ["training"],
        LegalBasis = LegalBasis.Consent,
        RetentionDays = 10,
    });
}
