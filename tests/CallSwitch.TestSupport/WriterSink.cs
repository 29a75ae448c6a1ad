using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace CallSwitch.TestSupport;

/// <summary>
/// A Serilog sink writing each event to a <see cref="TextWriter"/> (a test's buffer), locked on
/// the writer so that a test can read it while the switch logs. Tests only: Serilog ships no sink
/// for a given writer (its console sink writes to the process's standard output), and the
/// switch logs through that console sink.
/// </summary>
public sealed class WriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        lock (output)
        {
            formatter.Format(logEvent, output);
        }
    }
}
