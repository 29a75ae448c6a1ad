using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace CallSwitch.Server.Logging;

/// <summary>Builds the Serilog logger: one line per event, text or compact JSON, on standard output (Serilog's console sink).</summary>
public static class LogSetup
{
    /// <summary>The text template: time, level, call id when there is one, message, exception.</summary>
    public const string TextTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {CallId} {Message:lj}{NewLine}{Exception}";

    /// <summary>Creates the logger for a configuration, writing to standard output.</summary>
    public static Logger Create(LoggingConfig config) =>
        Configure(config).WriteTo.Console(Formatter(config)).CreateLogger();

    /// <summary>
    /// The logger's level, enrichers and overrides, without a sink (tests add one writing to a
    /// buffer, in the same <see cref="Formatter"/>).
    /// </summary>
    public static LoggerConfiguration Configure(LoggingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        LogEventLevel level = SwitchConfigMapper.ToLogEventLevel(config.Level);

        // ASP.NET Core (Kestrel, hosting) speaks at Warning and above only; the host's own report
        // of a failed start repeats the switch's "Cannot start" line, so it is left out.
        LogEventLevel framework = level > LogEventLevel.Warning ? level : LogEventLevel.Warning;
        LoggerConfiguration configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", framework)
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("CallId", "-");

        // Last, so that it sees the properties the other enrichers added.
        return config.UnmaskNumbers ? configuration : configuration.Enrich.With(new NumberMaskingEnricher());
    }

    /// <summary>The line format of a configuration: the text template or compact JSON.</summary>
    public static ITextFormatter Formatter(LoggingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Format == LogFormat.Json
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);
    }
}
