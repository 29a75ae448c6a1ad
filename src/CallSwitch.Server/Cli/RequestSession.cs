using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Cli;

/// <summary>
/// What a <c>requests</c> or <c>do-not-call</c> command works with: the configuration, the vault
/// (numbers' keyed hash, audio), the store opened with the number digest (holds on numbers are
/// checked), the receipt signer, the signed-in user and the one <see cref="SubjectRequestService"/>.
/// </summary>
internal sealed class RequestSession : IAsyncDisposable
{
    private readonly RecordingVault _vault;
    private readonly EcdsaReceiptSigner _signer;

    private RequestSession(SwitchConfig config, RecordingVault vault, SqliteMetadataStore store, EcdsaReceiptSigner signer)
    {
        Config = config;
        _vault = vault;
        Store = store;
        _signer = signer;
        Guard = CliAccess.Guard(config, store);
        Service = new SubjectRequestService(store, vault, new PhoneNumberNormalizer(config.Country), Guard, TimeProvider.System)
        {
            Eraser = new RecordingEraser(store, store, vault, vault, signer, TimeProvider.System),
            Audio = new VaultRecordingAudio(vault),
            ReceiptPublicKeyPem = signer.PublicKeyPem,
            TeamOfAgent = extension => config.FindAgent(extension)?.Team,
        };
    }

    public SwitchConfig Config { get; }

    public SqliteMetadataStore Store { get; }

    public AccessGuard Guard { get; }

    public SubjectRequestService Service { get; }

    /// <summary>The signed-in user (null until <see cref="OpenAsync"/> signed one in).</summary>
    public Principal? Who { get; private set; }

    /// <summary>
    /// Opens everything and signs the user in; null with the exit code after saying why (2: the
    /// configuration; 1: no store, no master key, sign-in failed).
    /// </summary>
    public static async Task<(RequestSession? Session, int ExitCode)> OpenAsync(
        RequestArguments arguments, string command, Func<string?, ConfigLoadResult> load, TextWriter error, CancellationToken cancellationToken)
    {
        if (StoreCommand.LoadWithStore(load, arguments.Config, error, out int exitCode) is not { } config)
        {
            return (null, exitCode);
        }

        if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
        {
            // Numbers are found by their keyed hash, derived from the master key: never create one here.
            error.WriteLine($"{command} needs the recordings' master key: {where}");
            return (null, 1);
        }

        RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None);
        SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = config.Paths.Data, NumberDigest = vault.Digest });
        EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(config.Paths.Data, EcdsaReceiptSigner.KeyFileName));
        var session = new RequestSession(config, vault, store, signer);
        session.Who = await CliAccess.SignInAsync(store, arguments.As, arguments.ReadPassword, command, error, cancellationToken).ConfigureAwait(false);
        if (session.Who is null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return (null, 1);
        }

        return (session, 0);
    }

    /// <summary>
    /// Opens a session, runs <paramref name="body"/> in it and closes it: a refusal of the service
    /// (<see cref="RequestException"/>) or of the authoriser is one line on <paramref name="error"/> and exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(
        RequestArguments arguments, string command, Func<string?, ConfigLoadResult> load, TextWriter error, Func<RequestSession, Task<int>> body, CancellationToken cancellationToken)
    {
        var (session, exitCode) = await OpenAsync(arguments, command, load, error, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return exitCode;
        }

        await using (session.ConfigureAwait(false))
        {
            try
            {
                return await body(session).ConfigureAwait(false);
            }
            catch (RequestException e)
            {
                error.WriteLine($"{command}: {e.Message}");
                return 1;
            }
            catch (AccessDeniedException denied)
            {
                error.WriteLine($"{command} refused to {session.Who?.Name}: {denied.Message}");
                return 1;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        _signer.Dispose();
        _vault.Dispose();
    }
}
