using System.CommandLine;

namespace CallSwitch.Server.Cli;

/// <summary>
/// The <c>--agent</c>, <c>--from</c> and <c>--to</c> options that <c>recordings search</c> and
/// <c>recordings extract --sample</c> share, and how they fill a <see cref="RecordingArguments"/>.
/// </summary>
internal sealed record AgentPeriod(Option<string> Agent, Option<string> From, Option<string> To)
{
    /// <summary>The three options; <paramref name="condition"/> (e.g. "With --sample") opens their help when they apply only with another option.</summary>
    public static AgentPeriod Create(string? condition)
    {
        string Help(string text) => condition is null ? char.ToUpperInvariant(text[0]) + text[1..] : $"{condition}: {text}";
        return new AgentPeriod(
            new Option<string>("--agent") { Description = Help("the agent's extension."), HelpName = "A" },
            new Option<string>("--from") { Description = Help("recordings started at or after this date: 2026-03-01 or 2026-03-01T14:00:00Z (UTC)."), HelpName = "DATE" },
            new Option<string>("--to") { Description = Help("recordings started before this date; a bare date includes that whole day."), HelpName = "DATE" });
    }

    /// <summary><paramref name="arguments"/> with the agent and the period the command line gave.</summary>
    public RecordingArguments Read(ParseResult parse, RecordingArguments arguments) =>
        arguments with { Agent = parse.GetValue(Agent), From = parse.GetValue(From), To = parse.GetValue(To) };
}
