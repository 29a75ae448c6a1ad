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

/// <summary>
/// <see cref="RecordingService.Started"/>: raised before any byte reaches the spool, with what the
/// metadata row needs; the file's bytes wait for the row (or the hold limit) while the timeline runs on.
/// </summary>
public sealed class RecordingStartedTests : IAsyncDisposable
{
    // Relay ports 35000-39999 belong to this suite; this class takes the upper half of its block.
    private static readonly int PortBase = 35050 + (Environment.ProcessId % 40 * 100);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-03-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly string _spool = Directory.CreateTempSubdirectory("cs-spool-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());
    private readonly MediaRelay _relay;
    private readonly MediaClock _clock;
    private readonly CallMedia _media;

    public RecordingStartedTests()
    {
        _relay = new MediaRelay(new MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = PortBase, MaxPort = PortBase + 48 }, _time);
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
    public async Task TheFileStaysEmptyUntilTheRowIsSavedAndThenHoldsTheWholeRecording()
    {
        var service = new RecordingService(_spool, _keys, _time);
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

        CallRecordingControl control = service.Begin("c1", Plan(), _media, Logger.None)!;
        Assert.NotNull(started);
        Assert.Equal("c1", started.CallId);
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
        Assert.Equal(new FileInfo(result.FilePath).Length, result.FileSize);

        // The held-back seconds were not lost: the Ogg stream's last granule covers all three.
        byte[] ogg = ReadWhole(result.FilePath);
        long granule = BitConverter.ToInt64(ogg, ogg.AsSpan().LastIndexOf("OggS"u8) + 6);
        Assert.InRange(granule / 48000.0, 2.9, 3.1);
    }

    [Fact]
    public async Task AStalledStoreHoldsTheBytesNoLongerThanTheLimit()
    {
        var service = new RecordingService(_spool, _keys, _time) { AudioHoldLimit = TimeSpan.FromSeconds(1) };
        string? path = null;
        service.Started += s =>
        {
            path = s.FilePath;
            s.HoldAudioUntil(new TaskCompletionSource().Task);
        };

        CallRecordingControl control = service.Begin("c2", Plan(), _media, Logger.None)!;
        await AdvanceAsync(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, new FileInfo(path!).Length);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await WaitAsync(() => new FileInfo(path!).Length > 0);
        await control.EndAsync();

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.NotEmpty(ReadWhole(result.FilePath));
    }

    [Fact]
    public async Task ARecordingStoppedBeforeItsRowWasSavedStillWritesItsFile()
    {
        var service = new RecordingService(_spool, _keys, _time);
        service.Started += s => s.HoldAudioUntil(new TaskCompletionSource().Task);

        CallRecordingControl control = service.Begin("c3", Plan(), _media, Logger.None)!;
        await AdvanceAsync(TimeSpan.FromSeconds(0.4));
        await control.EndAsync();

        RecordingResult result = Assert.Single(control.Results);
        Assert.Equal(RecordingStatus.Complete, result.Status);
        Assert.Equal(new FileInfo(result.FilePath).Length, result.FileSize);
        Assert.NotEmpty(ReadWhole(result.FilePath));
    }

    private byte[] ReadWhole(string path)
    {
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), id => _keys.GetDataKey(id).Key.ToArray());
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return plain.ToArray();
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
        CampaignId = "spring",
        Recording = new RecordingRule
        {
            CampaignId = "spring",
            Mode = RecordingMode.Always,
            Purposes = ["training"],
            LegalBasis = LegalBasis.Consent,
            RetentionDays = 10,
        },
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
