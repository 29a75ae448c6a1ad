using System.Net;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Compliance.Configuration;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Encryption;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transport;
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
        var service = new RecordingService(_spool, _keys, _time);
        var results = new List<RecordingResult>();
        service.Finished += results.Add;
        CallPlan plan = Plan(new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always, MaxDuration = TimeSpan.FromSeconds(1), RetentionDays = 10 });

        CallRecordingControl control = service.Begin("c1", plan, _media, Logger.None)!;
        Assert.True(control.IsRecording);
        await AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await WaitAsync(() => control.Results.Count == 1);

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(result, Assert.Single(results));
        Assert.False(control.IsRecording);
        Assert.Equal(RecordingStopReason.MaxDuration, result.StopReason);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.InRange(result.Duration.TotalSeconds, 0.98, 1.1);
        Assert.Equal(Path.Combine(_spool, "2025", "03", "04", result.RecordingId + ".ogg.enc"), result.FilePath);
        Assert.Null(result.AnnouncementPlayedInFull);
        Assert.False(result.AnnouncementRecorded);
        Assert.Equal(result.EndedAt.AddDays(10), result.RetentionDeadline);

        // Whole: every chunk authenticates, the final one included, and the stream is Ogg Opus.
        byte[] ogg;
        using (var reader = EncryptedRecordingReader.Open(File.OpenRead(result.FilePath), id => _keys.GetDataKey(id).Key.ToArray()))
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
        var service = new RecordingService(_spool, _keys, _time);
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
        var service = new RecordingService(blocker, new RecordingKeyManager(store, MasterKey.Generate()), _time);

        CallRecordingControl control = service.Begin("c3", Plan(new RecordingRule { CampaignId = "spring", Mode = RecordingMode.Always }), _media, Logger.None)!;

        Assert.False(control.IsRecording);
        Assert.Equal(1, service.Failures);
        Assert.Empty(store.KeyIds()); // no data key is left behind for a file that never existed
        Assert.Empty(control.Results);
    }

    [Fact]
    public void ACallWithoutARuleHasNoRecording()
    {
        var service = new RecordingService(_spool, _keys, _time);
        Assert.Null(service.Begin("c4", Plan(null), _media, Logger.None));
    }

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
