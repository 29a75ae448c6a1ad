using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Tests.Erasure;

/// <summary>
/// The one eraser over a store, for tests that erase as a step of something else (audit chain,
/// KPIs, holds): a <see cref="FakeVault"/> and a receipt signing key in a folder of its own.
/// </summary>
internal sealed class TestEraser : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cs-eraser-").FullName;
    private readonly EcdsaReceiptSigner _signer;
    private readonly RecordingEraser _eraser;

    public TestEraser(IMetadataStore store, TimeProvider time)
    {
        _signer = EcdsaReceiptSigner.OpenOrCreate(Path.Combine(_folder, EcdsaReceiptSigner.KeyFileName));
        _eraser = new RecordingEraser(store, store, Vault, Vault, _signer, time);
    }

    public FakeVault Vault { get; } = new();

    public Task<ErasureOutcome> EraseAsync(Guid recordingId, string actor, string reason, string? detail = null) =>
        _eraser.EraseAsync(new ErasureRequest(recordingId, actor, reason, detail));

    public void Dispose()
    {
        _signer.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
