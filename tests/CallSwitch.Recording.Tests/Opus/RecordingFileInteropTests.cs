using System.Text.Json;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Tests.Support;

namespace CallSwitch.Recording.Tests.Opus;

/// <summary>
/// A 10 s stereo recording from synthetic audio (agent: 440 Hz, 0–4 s; prospect: 1 kHz,
/// 3–10 s), checked by the real tools: opusinfo, ffprobe, ffmpeg.
/// </summary>
public sealed class RecordingFileInteropTests : IDisposable
{
    private const int Rate = 16000;
    private readonly string _directory = Directory.CreateTempSubdirectory("cs-rec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(OpusImplementation.Native)]
    [InlineData(OpusImplementation.Managed)]
    public void OpusinfoAcceptsTheFileWithoutWarnings(OpusImplementation implementation)
    {
        string path = WriteTenSeconds(implementation);
        var result = ExternalTool.Run("opusinfo", false, path);
        Assert.True(result.ExitCode == 0, $"opusinfo exit {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        Assert.True(result.StandardError.Trim().Length == 0, "opusinfo stderr: " + result.StandardError);
        Assert.DoesNotContain("WARNING", result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Channels: 2", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Pre-skip:", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(result.StandardOutput.Contains("Playback length: 0m:10", StringComparison.Ordinal), result.StandardOutput);
    }

    [Theory]
    [InlineData(OpusImplementation.Native)]
    [InlineData(OpusImplementation.Managed)]
    public void FfprobeSeesStereoOpusOfTenSeconds(OpusImplementation implementation)
    {
        string path = WriteTenSeconds(implementation);
        var result = ExternalTool.Run("ffprobe", false, "-v", "error", "-show_streams", "-show_format", "-of", "json", path);
        Assert.True(result.ExitCode == 0, "ffprobe: " + result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        JsonElement stream = json.RootElement.GetProperty("streams")[0];
        Assert.Equal("opus", stream.GetProperty("codec_name").GetString());
        Assert.Equal(2, stream.GetProperty("channels").GetInt32());
        double duration = double.Parse(
            json.RootElement.GetProperty("format").GetProperty("duration").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(duration, 9.9, 10.1);
        JsonElement tags = json.RootElement.GetProperty("streams")[0].GetProperty("tags");
        Assert.Equal("rec-42", tags.GetProperty("RECORDING_ID").GetString());
        Assert.Equal("campaign-9", tags.GetProperty("CAMPAIGN_ID").GetString());
    }

    [Theory]
    [InlineData(OpusImplementation.Native)]
    [InlineData(OpusImplementation.Managed)]
    public void DecodedChannelsKeepEachPartyApart(OpusImplementation implementation)
    {
        string path = WriteTenSeconds(implementation);
        var result = ExternalTool.Run("ffmpeg", true, "-v", "error", "-i", path, "-f", "s16le", "-ac", "2", "-ar", "48000", "-");
        Assert.True(result.ExitCode == 0, "ffmpeg: " + result.StandardError);
        short[] pcm = Signals.ToShorts(result.Bytes);
        const int decoded = 48000;
        Assert.InRange(pcm.Length / 2, decoded * 9.9, decoded * 10.1);

        // Agent alone (0.5–2.5 s): right at least 20 dB below left.
        double left = Signals.Power(pcm, 0, decoded, 0.5, 2.5);
        double right = Signals.Power(pcm, 1, decoded, 0.5, 2.5);
        Assert.True(left > 1e5, $"agent's tone missing on the left: {left}");
        Assert.True(Signals.Decibels(left, right) >= 20, $"agent alone: left/right {Signals.Decibels(left, right):F1} dB");

        // Prospect alone (5–9 s): left at least 20 dB below right.
        left = Signals.Power(pcm, 0, decoded, 5, 9);
        right = Signals.Power(pcm, 1, decoded, 5, 9);
        Assert.True(right > 1e5, $"prospect's tone missing on the right: {right}");
        Assert.True(Signals.Decibels(right, left) >= 20, $"prospect alone: right/left {Signals.Decibels(right, left):F1} dB");

        // Both talk (3.1–3.9 s): on each channel the other party's tone is 20 dB below.
        double leftOwn = Signals.Tonepower(pcm, 0, decoded, 440, 3.1, 3.9);
        double leftOther = Signals.Tonepower(pcm, 0, decoded, 1000, 3.1, 3.9);
        double rightOwn = Signals.Tonepower(pcm, 1, decoded, 1000, 3.1, 3.9);
        double rightOther = Signals.Tonepower(pcm, 1, decoded, 440, 3.1, 3.9);
        Assert.True(Signals.Decibels(leftOwn, leftOther) >= 20, $"both talk, left: {Signals.Decibels(leftOwn, leftOther):F1} dB");
        Assert.True(Signals.Decibels(rightOwn, rightOther) >= 20, $"both talk, right: {Signals.Decibels(rightOwn, rightOther):F1} dB");
    }

    private string WriteTenSeconds(OpusImplementation implementation)
    {
        string path = Path.Combine(_directory, $"ten-{implementation}.opus");
        using var file = File.Create(path);
        using var writer = new OpusRecordingWriter(
            file,
            new StereoOpusEncoder(new StereoOpusEncoderOptions { Implementation = implementation }),
            new RecordingTags("rec-42", "campaign-9"),
            serialNumber: 0x1234);
        Signals.WriteConversation(writer, Rate, frames: 500, agentTalks: t => t < 4, prospectTalks: t => t >= 3);
        writer.Complete();
        return path;
    }
}
