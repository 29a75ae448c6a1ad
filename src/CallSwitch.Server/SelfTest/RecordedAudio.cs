using CallSwitch.Media.Analysis;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// A test call's recording decrypted with the isolated vault's key and decoded, in memory (no
/// plain file on disk): interleaved 48 kHz stereo, left = agent, right = prospect, measured over
/// spans given in seconds from the recording's start.
/// </summary>
internal sealed class RecordedAudio
{
    private const int Rate = StereoRecordingDecoder.Rate;
    private readonly short[] _pcm;

    private RecordedAudio(short[] pcm) => _pcm = pcm;

    /// <summary>How long the recording is.</summary>
    public double Seconds => _pcm.Length / 2.0 / Rate;

    /// <summary>Decrypts and decodes <paramref name="filePath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a stereo Ogg Opus recording.</exception>
    /// <exception cref="Recording.Encryption.RecordingIntegrityException">The file does not decrypt.</exception>
    public static RecordedAudio Open(RecordingVault vault, string filePath)
    {
        using Stream reader = vault.OpenRecording(filePath);
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return new RecordedAudio(StereoRecordingDecoder.Decode(plain.GetBuffer().AsSpan(0, (int)plain.Length)));
    }

    /// <summary>The level of <paramref name="channel"/> (0 left, 1 right) over [<paramref name="from"/>, <paramref name="to"/>) s, in dBFS.</summary>
    public double Dbfs(int channel, double from, double to) => ToneMeter.Dbfs(ToneMeter.Power(Span(from, to), stride: 2, offset: channel));

    /// <summary>The power at <paramref name="hz"/> on <paramref name="channel"/> over [<paramref name="from"/>, <paramref name="to"/>) s.</summary>
    public double TonePower(int channel, double hz, double from, double to) => ToneMeter.TonePower(Span(from, to), Rate, hz, stride: 2, offset: channel);

    private ReadOnlySpan<short> Span(double from, double to)
    {
        int start = Math.Clamp((int)(from * Rate), 0, _pcm.Length / 2);
        int end = Math.Clamp((int)(to * Rate), start, _pcm.Length / 2);
        return _pcm.AsSpan(2 * start, 2 * (end - start));
    }
}
