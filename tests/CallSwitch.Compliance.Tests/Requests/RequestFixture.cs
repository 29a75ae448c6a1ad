using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Erasure;
using CallSwitch.Compliance.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Requests;

/// <summary>A store of its own (with the number digest), a fake vault, a real receipt signer and the request service over them, for one test.</summary>
internal sealed class RequestFixture : IAsyncDisposable
{
    public static readonly Principal Dpo = new("dana", null, [new RoleGrant(Role.Dpo, AccessScope.All)]);

    public static readonly Principal Quality = new("quentin", null, [new RoleGrant(Role.Quality, AccessScope.All)]);

    private readonly TempDataDirectory _directory = new();

    public RequestFixture()
    {
        Time = new FakeTimeProvider(StoreSamples.T0.AddDays(10));
        Store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = Time, NumberDigest = Vault.Digest });
        Signer = EcdsaReceiptSigner.OpenOrCreate(System.IO.Path.Combine(_directory.Path, EcdsaReceiptSigner.KeyFileName));
        Guard = new AccessGuard(new Authorizer([new CampaignAccess { CampaignId = "acme-fr", Purposes = ["quality"] }, new CampaignAccess { CampaignId = "acme-be", Purposes = ["quality"] }]), Store, Time);
        Service = new SubjectRequestService(Store, Vault, new PhoneNumberNormalizer("FR"), Guard, Time)
        {
            Eraser = new RecordingEraser(Store, Store, Vault, Vault, Signer, Time),
            Audio = Audio,
            ReceiptPublicKeyPem = Signer.PublicKeyPem,
        };
    }

    public string Path => _directory.Path;

    public FakeTimeProvider Time { get; }

    public FakeVault Vault { get; } = new();

    public FakeAudio Audio { get; } = new();

    public SqliteMetadataStore Store { get; private set; }

    public EcdsaReceiptSigner Signer { get; }

    public AccessGuard Guard { get; }

    public SubjectRequestService Service { get; }

    /// <summary>A call and a playable recording of <paramref name="number"/> (file on disk, key in the vault), completed with its pauses.</summary>
    public async Task<(NewRecording Recording, string File)> RecordAsync(string number, string campaign = "acme-fr", DateTimeOffset? at = null)
    {
        Guid id = Guid.NewGuid();
        string callId = "call-" + id.ToString("N");
        string file = System.IO.Path.Combine(_directory.Path, "spool", id.ToString("D") + ".ogg.enc");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, [1, 2, 3, 4]);
        DateTimeOffset start = at ?? StoreSamples.T0;
        await Store.SaveCallAsync(StoreSamples.Call(callId, start, number) with { CampaignId = campaign });
        NewRecording recording = StoreSamples.Recording(id, callId, number, campaign, startedAt: start.AddSeconds(8)) with { FilePath = file };
        await Store.AddRecordingAsync(recording);
        Assert.True(await Store.CompleteRecordingAsync(id, StoreSamples.Completion(recording.StartedAt)));
        Vault.AddKey(recording.KeyId!.Value);
        return (recording, file);
    }

    /// <summary>Closes the store (checkpointing its WAL into the file), for a look at the file's bytes.</summary>
    public async Task CloseStoreAsync() => await Store.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Signer.Dispose();
        _directory.Dispose();
    }
}
