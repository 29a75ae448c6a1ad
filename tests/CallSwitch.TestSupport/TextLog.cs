using Serilog;
using Serilog.Formatting.Display;

namespace CallSwitch.TestSupport;

/// <summary>A Serilog logger for tests of code outside the server: each event's rendered message, one line each, into a writer.</summary>
public static class TextLog
{
    /// <summary>A logger at Debug writing "LVL message" lines (string values unquoted, exceptions after) to <paramref name="output"/>; writes are serialised on the writer.</summary>
    public static ILogger Create(TextWriter output) =>
        new LoggerConfiguration().MinimumLevel.Debug()
            .WriteTo.Sink(new WriterSink(new MessageTemplateTextFormatter("{Level:u3} {Message:lj}{NewLine}{Exception}", System.Globalization.CultureInfo.InvariantCulture), output))
            .CreateLogger();
}
