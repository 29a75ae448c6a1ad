using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch recordings erase ID --reason TEXT [--request ID] [--as USER]</c>: erases one
/// recording by hand (a data-subject request, a mistake) through the one <see cref="RecordingEraser"/>
/// the retention sidecar uses: legal holds refuse it, the steps survive a crash, and a signed
/// deletion receipt is issued. The user needs the right to handle data-subject requests.
/// </summary>
internal static class RecordingEraseCommand
{
    /// <summary>Runs the command; the exit code (0 erased or already erased, 1 refused or failed, 2 bad input).</summary>
    public static async Task<int> RunAsync(RecordingArguments arguments, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!Guid.TryParse(arguments.Id, out Guid id))
        {
            error.WriteLine($"not a recording id: {arguments.Id}");
            return 2;
        }

        if (string.IsNullOrWhiteSpace(arguments.Reason))
        {
            error.WriteLine("--reason is required: why the recording is erased (it goes to the audit log and the receipt)");
            return 2;
        }

        if (StoreCommand.LoadWithStore(load, arguments.Config, error, out int exitCode) is not { } config)
        {
            return exitCode;
        }

        if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
        {
            // Without it the key cannot be named nor a number hold evaluated: nothing is touched.
            error.WriteLine($"no master key: {where}");
            return 1;
        }

        using RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None);

        // With the number digest, a hold on the recording's number is seen like any other.
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(
            new SqliteMetadataStoreOptions { DataDirectory = config.Paths.Data, NumberDigest = vault.Digest });
        if (await store.GetRecordingAsync(id, cancellationToken).ConfigureAwait(false) is not { } recording)
        {
            error.WriteLine($"no recording {id:D}");
            return 1;
        }

        var resource = new AccessResource
        {
            CampaignId = recording.CampaignId,
            Team = config.FindAgent(recording.AgentId)?.Team,
            AgentExtension = recording.AgentId,
            RecordingId = id,
            RequestId = arguments.Request,
        };
        if (await CliAccess.DemandAsync(store, config, arguments.As, arguments.ReadPassword, AccessAction.Requests, resource, "erase", error, cancellationToken)
            .ConfigureAwait(false) is not { } principal)
        {
            return 1;
        }

        using EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(config.Paths.Data, EcdsaReceiptSigner.KeyFileName));
        var eraser = new RecordingEraser(store, store, vault, vault, signer, TimeProvider.System);
        string? detail = arguments.Request is { } request ? $"data-subject request {request}" : null;
        ErasureOutcome outcome;
        try
        {
            outcome = await eraser.EraseAsync(new ErasureRequest(id, principal.Name, arguments.Reason, detail), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetadataStoreException)
        {
            error.WriteLine($"recording {id:D} not fully erased: {e.Message}; it is no longer playable, run the command again to finish");
            return 1;
        }

        switch (outcome)
        {
            case ErasureOutcome.Erased:
                output.WriteLine($"erased recording {id:D}: key destroyed, file deleted, tombstone kept; receipt signed by {signer.KeyId} (callswitch receipts show {id:D})");
                return 0;
            case ErasureOutcome.AlreadyErased:
                output.WriteLine($"recording {id:D} was already erased (callswitch receipts show {id:D})");
                return 0;
            case ErasureOutcome.OnLegalHold:
                error.WriteLine($"recording {id:D} is under a legal hold: not erased (callswitch holds list; the hold must be released first)");
                return 1;
            default:
                error.WriteLine($"no recording {id:D}");
                return 1;
        }
    }
}
