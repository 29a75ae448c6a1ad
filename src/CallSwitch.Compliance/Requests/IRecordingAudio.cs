using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Requests;

/// <summary>
/// Writes a recording's audio, decrypted, for an access bundle: implemented over the vault by its
/// host (Compliance holds no keys). Called only after the access was authorised and audited.
/// </summary>
public interface IRecordingAudio
{
    /// <summary>Writes the plain Ogg Opus of <paramref name="recording"/> to <paramref name="target"/>, with <paramref name="tags"/> added to its comments.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    Task WriteAsync(RecordingMetadata recording, Stream target, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken);
}
