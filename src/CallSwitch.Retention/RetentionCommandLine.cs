using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using CallSwitch.Configuration;
using Serilog;
using Serilog.Events;

namespace CallSwitch.Retention;

/// <summary>
/// <c>callswitch-retention [--config FILE] [--once] [--dry-run] [--now ISO]</c>: the command line of
/// the retention sidecar, on System.CommandLine. A command line it cannot parse exits with 2 after one line.
/// </summary>
internal static class RetentionCommandLine
{
    /// <summary>The executable's name.</summary>
    public const string ExecutableName = "callswitch-retention";

    /// <summary>Parses <paramref name="args"/> and runs the sidecar; dry-run lines to <paramref name="output"/>, logs and errors to <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var config = new Option<string>("--config")
        {
            Description = "The switch's configuration file (the embedded defaults without it); reloaded when it changes.",
            HelpName = "FILE",
        };
        var once = new Option<bool>("--once") { Description = "Run once and exit, instead of every retention.interval." };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print what would be purged and why (recording id, campaign, rule, deadline), change nothing, exit.",
        };
        var now = new Option<string>("--now")
        {
            Description = "Run as of this instant instead of the clock (2027-01-01T00:00:00Z); implies --once.",
            HelpName = "ISO",
        };
        var root = new RootCommand("The CallSwitch retention sidecar: erases expired recordings (key, file, tombstone, signed receipt), keeps held ones.")
        {
            config,
            once,
            dryRun,
            now,
        };
        root.SetAction(async (parse, token) =>
        {
            DateTimeOffset? asOf = null;
            if (parse.GetValue(now) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset instant))
                {
                    error.WriteLine($"--now: not an instant: {text} (2027-01-01T00:00:00Z)");
                    return 2;
                }

                asOf = instant;
            }

            var options = new SidecarOptions(parse.GetValue(config), parse.GetValue(once) || asOf is not null, parse.GetValue(dryRun), asOf);
            using Serilog.Core.Logger log = new LoggerConfiguration()
                .MinimumLevel.Information()
                // Logs go to standard error: standard output is for the dry run's list.
                .WriteTo.Console(
                    outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} - {Message:lj}{NewLine}{Exception}",
                    formatProvider: CultureInfo.InvariantCulture,
                    standardErrorFromLevel: LogEventLevel.Verbose)
                .CreateLogger();
            return await RetentionSidecar.RunAsync(options, output, error, log, TimeProvider.System, token).ConfigureAwait(false);
        });

        ParseResult result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            error.WriteLine($"{result.Errors[0].Message.ReplaceLineEndings(" ").Trim()} (see {ExecutableName} --help)");
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await result.InvokeAsync(invocation, stop.Token).ConfigureAwait(false);
    }
}
