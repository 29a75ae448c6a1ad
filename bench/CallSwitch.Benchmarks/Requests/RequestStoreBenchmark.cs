using BenchmarkDotNet.Attributes;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Vault;
using Serilog.Core;

namespace CallSwitch.Benchmarks.Requests;

/// <summary>
/// What the data-subject request benchmarks share: the generated store of 1,000,000 recordings and
/// 3,000,000 calls (<see cref="RequestStore"/>), the vault, the receipt signer and the service as
/// the CLI builds them.
/// </summary>
public abstract class RequestStoreBenchmark
{
    /// <summary>A dpo, who handles requests.</summary>
    protected static readonly Principal Dpo = new("dpo", null, [new RoleGrant(Role.Dpo, AccessScope.All)]);

    private EcdsaReceiptSigner _signer = null!;

    protected RecordingVault Vault { get; private set; } = null!;

    protected SqliteMetadataStore Store { get; private set; } = null!;

    protected SubjectRequestService Service { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        RequestStore.EnsureGenerated(Console.Out);
        Vault = RecordingVault.OpenExisting(RequestStore.Data, RequestStore.Spool, Logger.None);
        Store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = RequestStore.Data, NumberDigest = Vault.Digest });
        _signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(RequestStore.Data, EcdsaReceiptSigner.KeyFileName));
        var guard = new AccessGuard(new Authorizer([]), Store, TimeProvider.System);
        Service = new SubjectRequestService(Store, Vault, new PhoneNumberNormalizer("FR"), guard, TimeProvider.System)
        {
            Eraser = new RecordingEraser(Store, Store, Vault, Vault, _signer, TimeProvider.System),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _signer.Dispose();
        Vault.Dispose();
    }
}
