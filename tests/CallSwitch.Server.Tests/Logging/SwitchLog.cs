using CallSwitch.Configuration;
using CallSwitch.Server.Logging;
using CallSwitch.TestSupport;

namespace CallSwitch.Server.Tests.Logging;

/// <summary>The switch's logger (its levels, enrichers and line format) writing into a test's buffer instead of standard output.</summary>
internal static class SwitchLog
{
    public static Serilog.ILogger Create(LoggingConfig config, TextWriter output) =>
        LogSetup.Configure(config).WriteTo.Sink(new WriterSink(LogSetup.Formatter(config), output)).CreateLogger();
}
