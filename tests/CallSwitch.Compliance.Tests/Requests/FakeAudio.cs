using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Tests.Requests;

/// <summary>A recording's "audio" for bundle tests: its id and tags as text, so a test sees which recording went where (decoding is the interop tests' job).</summary>
internal sealed class FakeAudio : IRecordingAudio
{
    public async Task WriteAsync(RecordingMetadata recording, Stream target, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        string text = $"audio of {recording.Id:D}\n" + string.Join("\n", tags.Select(t => $"{t.Key}={t.Value}"));
        await target.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
