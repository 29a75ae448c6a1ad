using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Cli;

namespace CallSwitch.Server.WebConsole.Requests;

/// <summary>
/// The dpo's desk in the console: the same <see cref="SubjectRequestService"/> and
/// <see cref="DoNotCallService"/> as the <c>requests</c> and <c>do-not-call</c> commands (same
/// checks, same audit), over the host's store, vault and guard, with the receipt-signing key of
/// the data folder. Access bundles are written owner-only under <c>{data}/bundles</c>, where the
/// console's download finds them.
/// </summary>
/// <remarks>Thread-safe; built on first use (the host opens the store at start) and kept.</remarks>
public sealed class RequestDesk : IDisposable
{
    /// <summary>The data folder's subfolder of access bundles.</summary>
    public const string BundleFolder = SubjectRequestService.BundleFolder;

    private readonly ConsoleServices _services;
    private readonly Lazy<(SubjectRequestService Requests, DoNotCallService DoNotCall, EcdsaReceiptSigner Signer)> _parts;

    /// <summary>Creates the desk over the console's services.</summary>
    public RequestDesk(ConsoleServices services)
    {
        _services = services;
        _parts = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Data-subject requests.</summary>
    /// <exception cref="InvalidOperationException">Recording is not set up (no vault: numbers cannot be hashed) or no data folder.</exception>
    public SubjectRequestService Requests => _parts.Value.Requests;

    /// <summary>The do-not-call list.</summary>
    /// <exception cref="InvalidOperationException">As <see cref="Requests"/>.</exception>
    public DoNotCallService DoNotCall => _parts.Value.DoNotCall;

    /// <summary>Where the bundle of request <paramref name="id"/> is written.</summary>
    public string BundlePath(long id) =>
        Path.Combine(_services.DataPath, BundleFolder, SubjectRequest.CodeOf(id) + ".zip");

    /// <inheritdoc />
    public void Dispose()
    {
        if (_parts.IsValueCreated)
        {
            _parts.Value.Signer.Dispose();
        }
    }

    private (SubjectRequestService, DoNotCallService, EcdsaReceiptSigner) Build()
    {
        RecordingVault vault = _services.Vault ?? throw new InvalidOperationException(
            "data-subject requests need the recordings' master key (recording is not set up on this switch): numbers are found by their keyed hash");
        string data = _services.DataPath;
        Directory.CreateDirectory(Path.Combine(data, BundleFolder));
        var normalizer = new PhoneNumberNormalizer(_services.Config.Country);
        EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(data, EcdsaReceiptSigner.KeyFileName));
        var store = _services.Store;
        var requests = new SubjectRequestService(store, vault, normalizer, _services.Guard, _services.Time)
        {
            Eraser = new RecordingEraser(store, store, vault, vault, signer, _services.Time),
            Audio = new VaultRecordingAudio(vault),
            ReceiptPublicKeyPem = signer.PublicKeyPem,
            TeamOfAgent = _services.TeamOf,
        };
        return (requests, new DoNotCallService(store, store, normalizer, _services.Guard, _services.Time), signer);
    }
}
