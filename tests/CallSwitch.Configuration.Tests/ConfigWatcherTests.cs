using CallSwitch.TestSupport;
using CallSwitch.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Configuration.Tests;

public sealed class ConfigWatcherTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _log = new();
    private readonly string _path;
    private readonly ConfigWatcher _watcher;
    private readonly List<ConfigChangedEventArgs> _changes = [];

    public ConfigWatcherTests()
    {
        _path = ConfigFixture.WriteConfig(BaseYaml);
        var (initial, errors) = ConfigLoader.LoadFile(_path);
        Assert.Empty(errors);
        _watcher = new ConfigWatcher(_path, initial!, TextLog.Create(_log), _time, Debounce);
        _watcher.Changed += (_, e) => _changes.Add(e);
    }

    private static string BaseYaml => EmbeddedConfig.Text().Replace("port: 5060", "port: 0", StringComparison.Ordinal);

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    [Fact]
    public void AValidChangeIsSwappedInAndAnnounced()
    {
        SwitchConfig before = _watcher.Current;
        File.WriteAllText(_path, BaseYaml.Replace("retention_days: 180", "retention_days: 60", StringComparison.Ordinal));

        Assert.True(_watcher.ReloadNow("test"));

        Assert.Equal(60, _watcher.Current.FindCampaign("demo-fr")!.Recording.RetentionDays);
        ConfigChangedEventArgs change = Assert.Single(_changes);
        Assert.Same(before, change.Previous);
        Assert.Same(_watcher.Current, change.Current);
        Assert.Empty(change.RestartRequired);
        Assert.Contains("Configuration reloaded (test)", Log, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidChangeIsRefusedAndTheRunningConfigurationStays()
    {
        SwitchConfig before = _watcher.Current;
        string bad = BaseYaml.Replace("retention_days: 180", "retention_days: 9999", StringComparison.Ordinal).Replace("trunk: demo-trunk", "trunk: nowhere", StringComparison.Ordinal);
        File.WriteAllText(_path, bad);

        Assert.False(_watcher.ReloadNow("test"));

        Assert.Same(before, _watcher.Current);
        Assert.Empty(_changes);
        int retentionLine = bad[..bad.IndexOf("retention_days: 9999", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.Contains($"{_path}:{retentionLine}:", Log, StringComparison.Ordinal);
        Assert.Contains("trunk 'nowhere', which is not defined", Log, StringComparison.Ordinal);
        Assert.Contains("refused: 3 error(s)", Log, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsWithinTheDebounceTimeMakeOneReload()
    {
        File.WriteAllText(_path, BaseYaml.Replace("max_channels: 10", "max_channels: 12", StringComparison.Ordinal));

        _watcher.RequestReload();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _watcher.RequestReload();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _watcher.RequestReload();
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Empty(_changes);
        Assert.True(_watcher.ReloadPending);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Single(_changes);
        Assert.False(_watcher.ReloadPending);
        Assert.Equal(12, _watcher.Current.FindTrunk("demo-trunk")!.MaxChannels);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(_changes);
    }

    [Fact]
    public void ChangesThatNeedARestartAreLoggedAndKeepTheirRunningValues()
    {
        SwitchConfig before = _watcher.Current;
        string changed = BaseYaml.Replace("rtp_port_max: 30000", "rtp_port_max: 40000", StringComparison.Ordinal)
            .Replace("    - protocol: tcp\n      address: 127.0.0.1\n      port: 0\n", string.Empty, StringComparison.Ordinal)
            .Replace("    display_name: Chloé Durand\n", "    display_name: Chloé Durand-Roy\n", StringComparison.Ordinal);
        File.WriteAllText(_path, changed);

        Assert.True(_watcher.ReloadNow("test"));

        ConfigChangedEventArgs change = Assert.Single(_changes);
        Assert.Equal(["switch.listen", "switch.media"], change.RestartRequired);
        Assert.Same(before.Listen, _watcher.Current.Listen);
        Assert.Equal(30000, _watcher.Current.Media.RtpPortMax);
        Assert.Equal("Chloé Durand-Roy", _watcher.Current.FindAgent("1003")!.DisplayName);
        Assert.Contains("'switch.media' changed", Log, StringComparison.Ordinal);
        Assert.Contains("takes effect after a restart", Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavingTheFileTriggersADebouncedReload()
    {
        _watcher.Start();
        await File.WriteAllTextAsync(_path, BaseYaml.Replace("max_channels: 10", "max_channels: 11", StringComparison.Ordinal));

        // The file event comes from the operating system: wait for it (not for a timer).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!_watcher.ReloadPending && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(_watcher.ReloadPending, "no file event within 10 s");
        Assert.Empty(_changes);
        _time.Advance(Debounce);
        Assert.True(_changes.Count > 0, Log);
        Assert.Equal(11, _watcher.Current.FindTrunk("demo-trunk")!.MaxChannels);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _log.Dispose();
    }
}
