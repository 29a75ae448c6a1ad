using CallSwitch.Server.Cli;

namespace CallSwitch.Server;

/// <summary>The <c>callswitch</c> executable.</summary>
public static class Program
{
    /// <summary>Runs a command; see <c>callswitch --help</c> (the commands are in <see cref="Cli.CliCommands"/>).</summary>
    public static Task<int> Main(string[] args) => CommandLine.RunAsync(args, Console.Out, Console.Error);
}
