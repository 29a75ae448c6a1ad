using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Cli;

/// <summary>A recording's audio for an access bundle: decrypted by the vault, watermarked in its OpusTags.</summary>
internal sealed class VaultRecordingAudio : IRecordingAudio
{
    private readonly RecordingVault _vault;

    public VaultRecordingAudio(RecordingVault vault)
    {
        _vault = vault;
    }

    /// <inheritdoc />
    public async Task WriteAsync(RecordingMetadata recording, Stream target, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        string file = recording.FilePath ?? throw new IOException($"recording {recording.Id:D} has no file");
        await using var reader = _vault.OpenRecording(file);
        await OggTagWatermark.CopyWithCommentsAsync(reader, target, tags, cancellationToken).ConfigureAwait(false);
    }
}
