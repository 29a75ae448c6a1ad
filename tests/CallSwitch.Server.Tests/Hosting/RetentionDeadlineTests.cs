using System.Net;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace CallSwitch.Server.Tests.Hosting;

/// <summary>
/// One recording, one retention deadline: two recordings started at the same instant under the
/// same rule, one closed normally and one left in progress by a "crash" and repaired by the vault
/// at the next start, keep the same deadline in the store, the one the rule gives from the start.
/// </summary>
public sealed class RetentionDeadlineTests : IAsyncDisposable
{
    // Relay ports 50000-53999 are used by no other suite.
    private static readonly int PortBase = 50000 + (Environment.ProcessId % 40 * 100);
    private static readonly RecordingRule Rule = new()
    {
        CampaignId = "spring",
        Mode = RecordingMode.Always,
        Purposes = ["training"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionDays = 30,

        // Both recordings close at their maximum length (the call side's own stop), two seconds after their start.
        MaxDuration = TimeSpan.FromSeconds(2),
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-deadline-").FullName;
    private readonly RecordingVault _vault;
    private readonly MediaRelay _relay;
    private readonly MediaClock _clock;
    private readonly CallMedia _normalMedia;
    private readonly CallMedia _crashedMedia;
    private readonly SqliteMetadataStore _store;

    public RetentionDeadlineTests()
    {
        _vault = new RecordingVault(Path.Combine(_folder, "spool"), new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate()));
        _relay = new MediaRelay(new MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = PortBase, MaxPort = PortBase + 98 }, _time);
        _clock = new MediaClock(_time);
        _normalMedia = new CallMedia(_relay, _clock, IPAddress.Loopback, Logger.None);
        _crashedMedia = new CallMedia(_relay, _clock, IPAddress.Loopback, Logger.None);
        _store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Path.Combine(_folder, "data"), Time = _time });
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _normalMedia.Dispose();
        _crashedMedia.Dispose();
        _clock.Dispose();
        _relay.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ACrashRepairedRecordingAndANormallyCompletedOneOfTheSameStartGetTheSameDeadline()
    {
        var service = new RecordingService(_vault, _time);
        var rows = new List<Task>();
        service.Started += started =>
        {
            // As the archive does: the call row, then the recording row, the audio held until both are in.
            Task saved = SaveStartAsync(started);
            rows.Add(saved);
            started.HoldAudioUntil(saved);
        };
        CallRecordingControl normal = service.Begin("call-normal", Plan(), _normalMedia, Logger.None)!;
        CallRecordingControl crashed = service.Begin("call-crashed", Plan(), _crashedMedia, Logger.None)!;
        Assert.True(normal.IsRecording && crashed.IsRecording);
        await Task.WhenAll(rows);
        await AdvanceAsync(TimeSpan.FromSeconds(2.5));
        await WaitAsync(() => normal.Results.Count == 1 && crashed.Results.Count == 1);

        // The normal one's row is completed as the archive completes it.
        RecordingResult closed = Assert.Single(normal.Results);
        Assert.True(await _store.CompleteRecordingAsync(Guid.Parse(closed.RecordingId), CallArchive.ToCompletion(closed)));

        // The other's file is closed too, but the switch "dies" before its row is completed: the
        // next start finds it in progress and the vault repairs it.
        RecordingResult lost = Assert.Single(crashed.Results);
        Assert.Equal(RecordingStatus.InProgress, (await _store.GetRecordingAsync(Guid.Parse(lost.RecordingId)))!.Status);
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Equal((1, 1), await _vault.RecoverAsync(_store, Logger.None));

        RecordingMetadata normalRow = (await _store.GetRecordingAsync(Guid.Parse(closed.RecordingId)))!;
        RecordingMetadata repairedRow = (await _store.GetRecordingAsync(Guid.Parse(lost.RecordingId)))!;
        Assert.Equal(RecordingStatus.Complete, normalRow.Status);
        Assert.Equal(RecordingStatus.Incomplete, repairedRow.Status);
        Assert.Equal(normalRow.StartedAt, repairedRow.StartedAt);
        Assert.True(closed.EndedAt > closed.StartedAt, "the recording must last for the test to tell start from end");

        DateTimeOffset expected = RetentionPolicy.Deadline(Rule, closed.StartedAt)!.Value;
        Assert.Equal(expected, normalRow.RetentionUntil);
        Assert.Equal(expected, repairedRow.RetentionUntil);
        Assert.Equal(expected, closed.RetentionDeadline);
        Assert.Equal(expected, lost.RetentionDeadline);
    }

    private async Task SaveStartAsync(RecordingStarted started)
    {
        NewRecording row = CallArchive.ToNewRecording(started) ?? throw new InvalidOperationException("the rule and the plan give a storable row");
        await _store.SaveCallAsync(new CallRecord
        {
            CallId = started.CallId,
            Direction = CallDirection.Outbound,
            AgentId = started.Agent,
            CampaignId = started.CampaignId,
            ProspectNumber = started.ProspectNumber,
            StartedAt = started.StartedAt,
            Recorded = true,
        });
        await _store.AddRecordingAsync(row);
    }

    private static CallPlan Plan() => new()
    {
        Agent = "1001",
        Caller = CallParty.Agent,
        ProspectNumber = "+33612345678",
        CalleeUri = SipUri.Parse("sip:+33612345678@127.0.0.1")!,
        CalleeFlow = new SipFlow(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 5070)),
        CalleeFrom = NameAddress.Parse("<sip:+33100000000@127.0.0.1>")!,
        CalleeTo = NameAddress.Parse("<sip:+33612345678@127.0.0.1>")!,
        CalleeCodecs = [AudioCodec.Pcmu],
        CampaignId = Rule.CampaignId,
        Recording = Rule,
    };

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out");
    }

    /// <summary>Advances fake time in 20 ms steps, letting the pumps' tasks run between them.</summary>
    private async Task AdvanceAsync(TimeSpan span)
    {
        for (TimeSpan t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(20))
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(2);
        }
    }
}
