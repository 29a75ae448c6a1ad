using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Extracts;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch recordings extract ID --purpose P</c> and <c>recordings extract --sample --agent
/// A --from D --to D --purpose P</c>: anonymised training extracts (<see cref="TrainingExtracts"/>),
/// as a CallSwitch user; each is audited, a refusal too. Prints one line per extract, never the
/// recording it came from.
/// </summary>
internal static class ExtractCommand
{
    public static async Task<int> RunAsync(SqliteMetadataStore store, SwitchConfig config, RecordingArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (arguments.Purpose is not { Length: > 0 } purposeText)
        {
            error.WriteLine("recordings extract needs --purpose (one of the campaign's declared purposes, e.g. training)");
            return 2;
        }

        Guid id = Guid.Empty;
        DateTimeOffset? from = null;
        DateTimeOffset? before = null;
        if (arguments.Sample)
        {
            if (arguments.Agent is null || arguments.From is null || arguments.To is null)
            {
                error.WriteLine("recordings extract --sample needs --agent, --from and --to");
                return 2;
            }

            if (!CliDates.TryRange(arguments.From, arguments.To, error, out from, out before))
            {
                return 2;
            }
        }
        else if (arguments.Id is null || !Guid.TryParse(arguments.Id, out id))
        {
            error.WriteLine(arguments.Id is null ? "recordings extract needs a recording ID, or --sample" : $"not a recording id: {arguments.Id}");
            return 2;
        }

        if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
        {
            error.WriteLine($"no master key: {where}");
            return 1;
        }

        if (await CliAccess.SignInAsync(store, arguments.As, arguments.ReadPassword, "extract", error, cancellationToken).ConfigureAwait(false) is not { } principal)
        {
            return 1;
        }

        using RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None);
        var extracts = new TrainingExtracts(
            store, vault, CliAccess.Guard(config, store), extension => config.FindAgent(extension)?.Team, campaign => config.FindCampaign(campaign)?.AccessRules, TimeProvider.System);
        IReadOnlyList<Guid> ids = arguments.Sample
            ? (await extracts.ChooseSampleAsync(arguments.Agent!, from!.Value, before!.Value, cancellationToken).ConfigureAwait(false)).Select(r => r.Id).ToArray()
            : [id];
        if (ids.Count == 0)
        {
            output.WriteLine($"no recording of agent {arguments.Agent} to sample in the period");
            return 0;
        }

        var purpose = new AccessPurpose(purposeText, arguments.Reason);
        int failed = 0;
        foreach (Guid recording in ids)
        {
            try
            {
                if (await extracts.MakeAsync(principal, recording, purpose, cancellationToken).ConfigureAwait(false) is not { } extract)
                {
                    error.WriteLine($"no recording {recording:N}");
                    failed++;
                    continue;
                }

                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"extract {extract.Id:N}: agent {extract.AgentId}, campaign {extract.CampaignId}, {extract.Duration.TotalSeconds:F1} s, agent's channel only, kept until {extract.RetentionUntil.UtcDateTime:yyyy-MM-dd}"));
            }
            catch (AccessDeniedException denied)
            {
                // Every other recording would be refused for the same reason: stop at the first.
                error.WriteLine($"extract refused to {principal.Name}: {denied.Message}");
                return 1;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or CryptographicException or KeyNotFoundException
                or RecordingIntegrityException or InvalidDataException)
            {
                error.WriteLine($"recording {recording:N} cannot be extracted: {e.Message}");
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }
}
