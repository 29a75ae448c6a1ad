using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace CallSwitch.Server.Cli;

/// <summary>
/// Writes the events a library raises while a command runs (e.g. the vault's repair log) to the
/// command's own output writer, one line each. Commands take their output as a writer (the tests
/// run them in process), and Serilog ships no sink for a given writer; the switch's own logs go
/// through Serilog's console sink.
/// </summary>
internal sealed class CommandOutputSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            formatter.Format(logEvent, output);
        }
    }
}
