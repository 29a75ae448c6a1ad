using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Register;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary><c>callswitch register [--json] [--out FILE]</c>: the GDPR Art. 30 record of processing for call recording, from the configuration.</summary>
internal static class RegisterCommands
{
    /// <summary>Writes the register as Markdown (or JSON) to standard output or a file.</summary>
    public static async Task<int> RunAsync(string? configPath, bool json, string? outFile, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (StoreCommand.LoadConfig(configPath, load, error) is not { } config)
        {
            return 2;
        }

        IReadOnlyList<ProcessingRecord> records = ProcessingRegister.Build(
            config.Campaigns.Select(c => (c.Recording, c.Name)),
            config.Campaigns.Select(c => c.AccessRules));
        string text = json ? ProcessingRegister.ToJson(records) : ProcessingRegister.ToMarkdown(records);
        if (outFile is null)
        {
            output.Write(text);
            return 0;
        }

        await File.WriteAllTextAsync(outFile, text, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"register of {records.Count} recorded campaign(s) written to {outFile}");
        return 0;
    }
}
