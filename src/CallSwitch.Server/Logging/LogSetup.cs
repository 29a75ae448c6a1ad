using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace CallSwitch.Server.Logging;

/// <summary>Builds the Serilog logger: one line per event, text or compact JSON.</summary>
public static class LogSetup
{
    /// <summary>The text template: time, level, call id when there is one, message, exception.</summary>
    public const string TextTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {CallId} {Message:lj}{NewLine}{Exception}";

    /// <summary>Creates the logger for a configuration, writing to <paramref name="output"/>.</summary>
    public static ILogger Create(LoggingConfig config, TextWriter output)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(SwitchConfigMapper.ToLogEventLevel(config.Level))
            .Enrich.FromLogContext()
            .Enrich.WithProperty("CallId", "-");
        ITextFormatter formatter = config.Format == LogFormat.Json
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);
        return logger.WriteTo.Sink(new TextWriterSink(formatter, output)).CreateLogger();
    }
}
