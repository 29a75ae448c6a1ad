using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Net;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using OppositionSource = CallSwitch.Compliance.Storage.OppositionSource;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace CallSwitch.Calls.Tests.Recording;

/// <summary>A call's recording control on a real relay session, paced by fake time.</summary>
public sealed partial class CallRecordingControlTests : IAsyncDisposable
{
    // Relay ports 35000-39999 are used by no other suite.
    private static readonly int PortBase = 35000 + (Environment.ProcessId % 40 * 100);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-03-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly string _spool = Directory.CreateTempSubdirectory("cs-spool-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());
    private readonly MediaRelay _relay;
    private readonly MediaClock _clock;
    private readonly CallMedia _media;

    public CallRecordingControlTests()
    {
        _relay = new MediaRelay(new MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = PortBase, MaxPort = PortBase + 98 }, _time);
        _clock = new MediaClock(_time);
        _media = new CallMedia(_relay, _clock, IPAddress.Loopback, Logger.None);
    }

    public ValueTask DisposeAsync()
    {
        _media.Dispose();
        _clock.Dispose();
        _relay.Dispose();
        Directory.Delete(_spool, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TheRecordingStopsAtItsMaximumLengthAndTheFileIsWholeUnderTheStartsDate()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        var results = new List<RecordingResult>();
        service.Finished += results.Add;
        CallPlan plan = Plan(new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always, MaxDuration = TimeSpan.FromSeconds(1), RetentionDays = 10 });

        CallRecordingControl control = service.Begin("c1", plan, _media, Logger.None)!;
        Assert.True(control.IsRecording);
        await AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await WaitAsync(() => control.Results.Count == 1 && results.Count == 1);

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(result, Assert.Single(results));
        Assert.False(control.IsRecording);
        Assert.Equal(RecordingStopReason.MaxDuration, result.StopReason);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.InRange(result.Duration.TotalSeconds, 0.98, 1.1);
        Assert.Equal(Path.Combine(_spool, "2025", "03", "04", result.RecordingId + ".ogg.enc"), result.FilePath);
        Assert.Null(result.AnnouncementPlayedInFull);
        Assert.False(result.AnnouncementRecorded);
        Assert.Equal(result.StartedAt.AddDays(10), result.RetentionDeadline);

        // Whole: every chunk authenticates, the final one included, and the stream is Ogg Opus.
        byte[] ogg;
        using (var reader = EncryptedRecordingReader.Open(File.OpenRead(result.FilePath!), id => _keys.GetDataKey(id).Key.ToArray()))
        using (var plain = new MemoryStream())
        {
            reader.CopyTo(plain);
            ogg = plain.ToArray();
        }

        Assert.Equal("OggS"u8.ToArray(), ogg[..4]);
        Assert.Contains("OpusHead", System.Text.Encoding.ASCII.GetString(ogg), StringComparison.Ordinal);

        // Always mode: nothing more to start; the end of the call has nothing left to close.
        Assert.False(control.Start());
        await control.EndAsync();
        Assert.Single(control.Results);
    }

    [Fact]
    public async Task OnDemandRecordsOnlyOnceAskedAndTheEndOfTheCallClosesIt()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        CallRecordingControl control = service.Begin("c2", Plan(new RecordingRule { CampaignId = "spring", Mode = RecordingMode.OnDemand }), _media, Logger.None)!;
        Assert.False(control.IsRecording);
        Assert.Empty(Directory.GetFiles(_spool, "*", SearchOption.AllDirectories));

        Assert.True(control.Start());
        Assert.False(control.Start());
        await AdvanceAsync(TimeSpan.FromSeconds(0.6));
        await control.EndAsync();

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(RecordingStopReason.CallEnded, result.StopReason);
        Assert.Equal("spring:on-demand", result.RuleId);
        Assert.InRange(result.Duration.TotalSeconds, 0.58, 0.7);
        Assert.False(control.Start());
    }

    [Fact]
    public void AnUnwritableSpoolStartsNoRecordingCountsItAndThrowsNothing()
    {
        string blocker = Path.Combine(_spool, "not-a-directory");
        File.WriteAllText(blocker, "x");
        var store = new InMemoryKeyStore();
        var service = new RecordingService(new RecordingVault(blocker, new RecordingKeyManager(store, MasterKey.Generate())), _time);

        CallRecordingControl control = service.Begin("c3", Plan(new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always }), _media, Logger.None)!;

        Assert.False(control.IsRecording);
        Assert.Equal(1, service.Failures);
        Assert.Empty(store.KeyIds()); // no data key is left behind for a file that never existed
        Assert.Empty(control.Results);
    }

    [Fact]
    public void ACallWithoutARuleHasNoRecording()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        Assert.Null(service.Begin("c4", Plan(null), _media, Logger.None));
    }

    [Fact]
    public async Task PauseAndResumeChangeTheStateOnceEachAndLeaveTheSpanInTheResult()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        CallRecordingControl control = service.Begin("c5", Plan(Always()), _media, Logger.None)!;
        Assert.Equal(RecordingState.Recording, control.State);
        await AdvanceAsync(TimeSpan.FromSeconds(0.4));

        Assert.True(control.Pause(ControlSource.AgentKeys));
        Assert.False(control.Pause());
        Assert.Equal(RecordingState.Paused, control.State);
        await AdvanceAsync(TimeSpan.FromSeconds(0.5));
        Assert.True(control.Resume());
        Assert.False(control.Resume());
        Assert.Equal(RecordingState.Recording, control.State);
        await AdvanceAsync(TimeSpan.FromSeconds(0.3));
        await control.EndAsync();

        Assert.Equal(RecordingState.Off, control.State);
        Assert.False(control.Pause());
        RecordingResult result = Assert.Single(control.Results);
        Assert.Null(result.Opposition);
        var span = Assert.Single(result.PauseSpans);
        Assert.InRange(span.Start.TotalSeconds, 0.38, 0.42);
        Assert.InRange(span.End!.Value.TotalSeconds, 0.88, 0.92);
        Assert.InRange(result.Duration.TotalSeconds, 1.18, 1.25);
    }

    [Fact]
    public async Task AnOppositionWhileRecordingDestroysTheFileAndTheKeyAndNothingIsRecordedAgain()
    {
        var store = new InMemoryKeyStore();
        var service = new RecordingService(new RecordingVault(_spool, new RecordingKeyManager(store, MasterKey.Generate())), _time);
        var raised = new System.Collections.Concurrent.ConcurrentQueue<RecordingResult>();
        service.Finished += raised.Enqueue;
        CallRecordingControl control = service.Begin("c6", Plan(Always()), _media, Logger.None)!;
        await AdvanceAsync(TimeSpan.FromSeconds(0.5));
        Assert.Single(store.KeyIds());
        Assert.Single(Directory.GetFiles(_spool, "*", SearchOption.AllDirectories));

        Assert.True(control.Oppose(OppositionSource.Agent, ControlSource.AgentKeys));
        Assert.False(control.Oppose(OppositionSource.Prospect));
        Assert.Equal(RecordingState.Refused, control.State);
        await WaitAsync(() => raised.Count == 1);

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(result, Assert.Single(raised));
        Assert.Equal(OppositionSource.Agent, result.Opposition?.By);
        Assert.Equal(_time.GetUtcNow(), result.Opposition!.At);
        Assert.Equal(RecordingStopReason.Opposed, result.StopReason);
        Assert.Null(result.FilePath);
        Assert.Null(result.KeyId);
        Assert.Null(result.FileSize);
        Assert.Null(result.CiphertextSha256);
        Assert.Equal(TimeSpan.Zero, result.Duration);
        Assert.Empty(store.KeyIds());
        Assert.Empty(Directory.GetFiles(_spool, "*", SearchOption.AllDirectories));

        // The call goes on, unrecorded for good.
        Assert.False(control.Start());
        Assert.False(control.Pause());
        Assert.Equal(RecordingState.Refused, control.State);
        await control.EndAsync();
        Assert.Single(raised);
    }

    [Fact]
    public async Task AnOppositionBeforeAnyRecordingLeavesARefusalWithoutAFileAndRefusesTheStart()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        var raised = new System.Collections.Concurrent.ConcurrentQueue<RecordingResult>();
        service.Finished += raised.Enqueue;
        CallRecordingControl control = service.Begin("c7", Plan(Always() with { Mode = RecordingMode.OnDemand }), _media, Logger.None)!;
        Assert.Equal(RecordingState.Off, control.State);

        Assert.True(control.Oppose(OppositionSource.Prospect, ControlSource.ProspectKey));
        await WaitAsync(() => raised.Count == 1);
        Assert.False(control.Start());
        await control.EndAsync();

        RecordingResult result = Assert.Single(raised);
        Assert.Equal(OppositionSource.Prospect, result.Opposition?.By);
        Assert.Equal("c7", result.CallId);
        Assert.Equal("spring:on-demand", result.RuleId);
        Assert.Null(result.FilePath);
        Assert.Null(result.KeyId);
        Assert.Equal(TimeSpan.Zero, result.Duration);
        Assert.Equal(result.StartedAt, result.EndedAt);
        Assert.Equal(result.StartedAt.AddDays(10), result.RetentionDeadline);
        Assert.True(Guid.TryParse(result.RecordingId, out _));
        Assert.Empty(Directory.GetFiles(_spool, "*", SearchOption.AllDirectories));
        Assert.Equal(RecordingState.Refused, control.State);
    }

    [Fact]
    public async Task ARecordingFinishedBeforeTheRefusalIsDestroyedAndRaisedAgainRefused()
    {
        var store = new InMemoryKeyStore();
        var service = new RecordingService(new RecordingVault(_spool, new RecordingKeyManager(store, MasterKey.Generate())), _time);
        var raised = new System.Collections.Concurrent.ConcurrentQueue<RecordingResult>();
        service.Finished += raised.Enqueue;
        CallRecordingControl control = service.Begin("c8", Plan(Always() with { MaxDuration = TimeSpan.FromSeconds(1) }), _media, Logger.None)!;
        await AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await WaitAsync(() => raised.Count == 1);
        RecordingResult first = Assert.Single(raised);
        Assert.True(File.Exists(first.FilePath));

        Assert.True(control.Oppose(OppositionSource.Agent));
        await WaitAsync(() => raised.Count == 2);

        RecordingResult second = raised.Last();
        Assert.Equal(first.RecordingId, second.RecordingId);
        Assert.NotNull(second.Opposition);
        Assert.Null(second.FilePath);
        Assert.Equal(second, Assert.Single(control.Results));
        Assert.False(File.Exists(first.FilePath));
        Assert.Empty(store.KeyIds());
    }

    [Fact]
    public async Task ARefusalDuringANoticeNotRecordedKeepsTheRecordingFromStartingAtTheConnection()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        var raised = new System.Collections.Concurrent.ConcurrentQueue<RecordingResult>();
        service.Finished += raised.Enqueue;
        Announcement notice = Announcement.FromWaveBytes(File.ReadAllBytes(TestWav.Write(Path.Combine(_spool, "notice.wav"))), "notice.wav");
        CallPlan plan = Plan(Always() with { RecordAnnouncement = false }) with { Announcement = notice };
        CallRecordingControl control = service.Begin("c12", plan, _media, Logger.None)!;
        Assert.Equal(RecordingState.Off, control.State);

        Assert.True(control.Oppose(OppositionSource.Prospect, ControlSource.ProspectKey));
        control.OnConnected(noticePlayedInFull: true);
        await WaitAsync(() => raised.Count == 1);
        await control.EndAsync();

        Assert.Equal(RecordingState.Refused, control.State);
        RecordingResult result = Assert.Single(raised);
        Assert.Equal(OppositionSource.Prospect, result.Opposition?.By);
        Assert.Null(result.FilePath);
        Assert.Equal(notice.Sha256, result.AnnouncementSha256);
        Assert.Empty(Directory.GetFiles(_spool, "*.enc", SearchOption.AllDirectories));
    }

    [Fact]
    public void ACallTheRuleDoesNotRecordHasNothingToRefuse()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        CallRecordingControl control = service.Begin("c9", Plan(Always() with { Mode = RecordingMode.Never }), _media, Logger.None)!;

        Assert.False(control.Oppose(OppositionSource.Agent));
        Assert.False(control.Pause());
        Assert.Equal(RecordingState.Off, control.State);
        Assert.Empty(control.Results);
    }

    [Fact]
    public async Task TheKeypadOnTheCallsMediaWithholdsTheAgentsSequencesAndDrivesTheRecording()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        CallRecordingControl control = service.Begin("c10", Plan(Always()), _media, Logger.None)!;
        var media = (ITelephoneEventObserver)_media;

        // "*1": every packet of both key presses (start, update, three ends) is withheld.
        Assert.All(KeyPress(media, RelayLegId.A, 1000, 10), relayed => Assert.False(relayed));
        Assert.All(KeyPress(media, RelayLegId.A, 2000, 1), relayed => Assert.False(relayed));
        await control.CommandsDone();
        Assert.Equal(RecordingState.Paused, control.State);

        // An ordinary key, a non-DTMF event and the prospect's keys pass.
        Assert.All(KeyPress(media, RelayLegId.A, 3000, 5), Assert.True);
        Assert.True(media.OnTelephoneEvent(RelayLegId.A, 4000, [16, 10, 0, 160]));
        Assert.All(KeyPress(media, RelayLegId.B, 3000, 10), Assert.True);
        Assert.All(KeyPress(media, RelayLegId.B, 4000, 2), Assert.True);

        Assert.All(KeyPress(media, RelayLegId.A, 5000, 10), relayed => Assert.False(relayed));
        Assert.All(KeyPress(media, RelayLegId.A, 6000, 2), relayed => Assert.False(relayed));
        await control.CommandsDone();
        Assert.Equal(RecordingState.Recording, control.State);
        await control.EndAsync();
        Assert.Single(Assert.Single(control.Results).PauseSpans);
    }

    [Fact]
    public void TheKeypadPathAllocatesNothingPerPacket()
    {
        var service = new RecordingService(new RecordingVault(_spool, _keys), _time);
        service.Begin("c11", Plan(Always() with { Mode = RecordingMode.OnDemand }), _media, Logger.None);
        var media = (ITelephoneEventObserver)_media;
        byte[] press = [5, 10, 0, 160];
        byte[] star = [10, 10, 0, 160];
        uint timestamp = 0;

        void Packets(int count)
        {
            for (int i = 0; i < count; i++)
            {
                // New key presses (a 5, then a withheld star that the next 5 drops) and their repeats.
                timestamp += 800;
                media.OnTelephoneEvent(RelayLegId.A, timestamp, i % 2 == 0 ? press : star);
                media.OnTelephoneEvent(RelayLegId.A, timestamp, i % 2 == 0 ? press : star);
                media.OnTelephoneEvent(RelayLegId.B, timestamp, press);
            }
        }

        Packets(10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Packets(500);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The packets of one key press: start, update, and the end sent three times (RFC 4733 §2.5.1.4); whether each is relayed.</summary>
    private static bool[] KeyPress(ITelephoneEventObserver media, RelayLegId leg, uint timestamp, byte code) =>
    [
        media.OnTelephoneEvent(leg, timestamp, [code, 10, 0, 160]),
        media.OnTelephoneEvent(leg, timestamp, [code, 10, 1, 64]),
        media.OnTelephoneEvent(leg, timestamp, [code, 0x80 | 10, 3, 32]),
        media.OnTelephoneEvent(leg, timestamp, [code, 0x80 | 10, 3, 32]),
        media.OnTelephoneEvent(leg, timestamp, [code, 0x80 | 10, 3, 32]),
    ];

    private static RecordingRule Always() => new() { CampaignId = "spring", Mode = RecordingMode.Always, RetentionDays = 10 };

    private static CallPlan Plan(RecordingRule? rule) => new()
    {
        Agent = "1001",
        Caller = CallParty.Agent,
        ProspectNumber = "+33612345678",
        CalleeUri = SipUri.Parse("sip:+33612345678@127.0.0.1")!,
        CalleeFlow = new SipFlow(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 5070)),
        CalleeFrom = NameAddress.Parse("<sip:+33100000000@127.0.0.1>")!,
        CalleeTo = NameAddress.Parse("<sip:+33612345678@127.0.0.1>")!,
        CalleeCodecs = [AudioCodec.Pcmu],
        CampaignId = rule?.CampaignId,
        Recording = rule,
    };

    /// <summary>Advances fake time in 20 ms steps, letting the pump's task run between them.</summary>
    private async Task AdvanceAsync(TimeSpan span)
    {
        for (TimeSpan t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(20))
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(2);
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out");
    }
}
