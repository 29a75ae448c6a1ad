using System.Runtime.InteropServices;
using CallSwitch.Configuration;
using Serilog;

namespace CallSwitch.Configuration;

/// <summary>
/// Reloads the configuration file when it changes (debounced: editors write a file in several
/// steps) and on SIGHUP. A new file is checked completely; only a valid one is swapped in, as
/// one immutable snapshot, and announced by <see cref="Changed"/>. An invalid one is logged,
/// error by error, and the running configuration stays. Calls in progress keep the snapshot
/// they started with, so nothing is dropped.
/// </summary>
public sealed class ConfigWatcher : IDisposable
{
    /// <summary>The default quiet time after the last file event before reloading.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(500);

    private readonly string _path;
    private readonly ILogger _log;
    private readonly ConfigLoadOptions? _options;
    private readonly ITimer _debounceTimer;
    private readonly Lock _reloadLock = new();
    private SwitchConfig _current;
    private FileSystemWatcher? _fileWatcher;
    private PosixSignalRegistration? _sighup;
    private int _pending;

    /// <summary>Creates a watcher of <paramref name="path"/> whose running configuration is <paramref name="initial"/>.</summary>
    public ConfigWatcher(string path, SwitchConfig initial, ILogger log, TimeProvider? time = null, TimeSpan? debounce = null, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(log);
        _path = Path.GetFullPath(path);
        _current = initial;
        _log = log;
        _options = options;
        Debounce = debounce ?? DefaultDebounce;
        _debounceTimer = (time ?? TimeProvider.System).CreateTimer(_ => OnDebounceElapsed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised after a new configuration is swapped in, on the thread that reloaded.</summary>
    public event EventHandler<ConfigChangedEventArgs>? Changed;

    /// <summary>The configuration in force. Read it once per use: a reload may swap it at any time.</summary>
    public SwitchConfig Current => Volatile.Read(ref _current);

    /// <summary>The quiet time after the last change request before reloading.</summary>
    public TimeSpan Debounce { get; }

    /// <summary>Whether a reload is waiting for the debounce time to pass.</summary>
    public bool ReloadPending => Volatile.Read(ref _pending) != 0;

    /// <summary>Starts watching the file and listening for SIGHUP.</summary>
    public void Start()
    {
        _fileWatcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };

        // Editors save in place (Changed) or write a temporary file and rename it over (Renamed, Created).
        _fileWatcher.Changed += (_, _) => RequestReload();
        _fileWatcher.Created += (_, _) => RequestReload();
        _fileWatcher.Renamed += (_, e) =>
        {
            if (string.Equals(e.FullPath, _path, StringComparison.Ordinal))
            {
                RequestReload();
            }
        };
        _fileWatcher.Error += (_, e) => _log.Warning("Watching {Path} failed: {Error}; SIGHUP still reloads", _path, e.GetException().Message);
        _fileWatcher.EnableRaisingEvents = true;

        try
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx =>
            {
                // SIGHUP would end the process by default: here it means "reload".
                ctx.Cancel = true;
                _ = Task.Run(() => ReloadNow("SIGHUP"));
            });
        }
        catch (PlatformNotSupportedException)
        {
            _log.Information("SIGHUP is not available on this platform; the configuration reloads on file change only");
        }
    }

    /// <summary>Asks for a reload after the debounce time; requests within that time make one reload.</summary>
    public void RequestReload()
    {
        // Arm first, flag second: whoever sees the flag can count on the timer being set.
        _debounceTimer.Change(Debounce, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref _pending, 1);
    }

    /// <summary>Loads and checks the file now; swaps it in when valid. Returns whether it was applied.</summary>
    public bool ReloadNow(string reason)
    {
        lock (_reloadLock)
        {
            Volatile.Write(ref _pending, 0);
            ConfigLoadResult result = ConfigLoader.LoadFile(_path, _options);
            if (result.Config is null)
            {
                foreach (ConfigError error in result.Errors)
                {
                    _log.Error("Configuration error: {Error}", error.ToString());
                }

                _log.Error("Configuration reload ({Reason}) refused: {Count} error(s) in {Path}; the running configuration stays", reason, result.Errors.Count, _path);
                return false;
            }

            SwitchConfig previous = Current;
            IReadOnlyList<string> restart = LiveConfigChanges.RestartRequired(previous, result.Config);
            SwitchConfig next = LiveConfigChanges.Merge(previous, result.Config);
            Volatile.Write(ref _current, next);
            foreach (string section in restart)
            {
                _log.Warning("'{Section}' changed in {Path}: it cannot change while running and takes effect after a restart", section, _path);
            }

            _log.Information(
                "Configuration reloaded ({Reason}) from {Path}: {Agents} agent(s), {Trunks} trunk(s), {Campaigns} campaign(s), {Inbound} inbound number(s)",
                reason,
                _path,
                next.Agents.Count,
                next.Trunks.Count,
                next.Campaigns.Count,
                next.Inbound.Count);
            Changed?.Invoke(this, new ConfigChangedEventArgs(previous, next, restart));
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sighup?.Dispose();
        _fileWatcher?.Dispose();
        _debounceTimer.Dispose();
    }

    private void OnDebounceElapsed()
    {
        try
        {
            ReloadNow("file changed");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A subscriber's failure must not take the timer thread, and with it the process, down.
            _log.Error(e, "Configuration reload failed");
        }
    }
}
