using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// The isolated switch's log: nothing of it is printed (the self-test prints its checks), but its
/// warnings and errors are kept to explain a failed check ("the switch said: …").
/// </summary>
/// <remarks>Called on any thread of the switch; a lock guards the list.</remarks>
internal sealed class SwitchWarnings : ILogEventSink
{
    private const int Limit = 20;
    private readonly List<string> _lines = [];

    /// <summary>The last warnings and errors, oldest first (at most 20).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Level < LogEventLevel.Warning)
        {
            return;
        }

        string line = logEvent.RenderMessage(CultureInfo.InvariantCulture);
        lock (_lines)
        {
            if (_lines.Count == Limit)
            {
                _lines.RemoveAt(0);
            }

            _lines.Add(line);
        }
    }
}
