using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Encryption;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Media;

namespace CallSwitch.InteropTests.Calls;

/// <summary>
/// A recording as a listener gets it: decrypted with the key manager, judged by opusinfo and
/// decoded by ffmpeg to 48 kHz stereo PCM, with the measurements the tests compare per channel.
/// A missing tool fails the test; it never skips.
/// </summary>
internal sealed partial class RecordedAudio
{
    public const int Rate = 48000;

    private RecordedAudio(byte[] ogg, string opusInfo, string probe, short[] pcm)
    {
        Ogg = ogg;
        OpusInfo = opusInfo;
        Probe = probe;
        Pcm = pcm;
    }

    /// <summary>The decrypted Ogg Opus file.</summary>
    public byte[] Ogg { get; }

    /// <summary>What opusinfo said.</summary>
    public string OpusInfo { get; }

    /// <summary>What ffprobe said of the audio stream (<c>codec_name=…</c>, <c>sample_rate=…</c>, <c>channels=…</c> lines).</summary>
    public string Probe { get; }

    /// <summary>Interleaved stereo (left = agent, right = prospect) at 48 kHz.</summary>
    public short[] Pcm { get; }

    /// <summary>Seconds of decoded audio.</summary>
    public double Seconds => Pcm.Length / 2.0 / Rate;

    /// <summary>opusinfo's "Playback length", in seconds.</summary>
    public double PlaybackLength
    {
        get
        {
            Match m = PlaybackLengthPattern().Match(OpusInfo);
            Assert.True(m.Success, "no playback length in:\n" + OpusInfo);
            return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Decrypts <paramref name="path"/>, runs opusinfo and ffprobe (each must exit 0 without complaint) and decodes with ffmpeg from stdin.</summary>
    public static RecordedAudio Open(string path, RecordingKeyManager keys)
    {
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), id => keys.GetDataKey(id).Key.ToArray());
        using var buffer = new MemoryStream();
        reader.CopyTo(buffer);
        return FromOgg(buffer.ToArray());
    }

    /// <summary>Runs opusinfo (must exit 0 without complaint) and ffprobe (one stereo Opus stream) on a plain Ogg Opus file, and decodes it with ffmpeg.</summary>
    public static RecordedAudio FromOgg(byte[] ogg)
    {
        string oggPath = Path.Combine(Path.GetTempPath(), $"cs-rec-{Guid.NewGuid():N}.ogg");
        File.WriteAllBytes(oggPath, ogg);
        try
        {
            var info = Run("opusinfo", null, oggPath);
            Assert.True(info.ExitCode == 0 && info.StandardError.Trim().Length == 0, "opusinfo: " + info.StandardError + Text(info.Output));
            var probe = Run("ffprobe", ogg, "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=noprint_wrappers=1", "-");
            Assert.True(probe.ExitCode == 0 && probe.StandardError.Trim().Length == 0, "ffprobe: " + probe.StandardError + Text(probe.Output));
            Assert.Contains("codec_name=opus", Text(probe.Output), StringComparison.Ordinal);
            Assert.Contains("channels=2", Text(probe.Output), StringComparison.Ordinal);
            var decoded = Run("ffmpeg", ogg, "-v", "error", "-i", "-", "-f", "s16le", "-ac", "2", "-ar", Rate.ToString(CultureInfo.InvariantCulture), "-");
            Assert.True(decoded.ExitCode == 0, "ffmpeg: " + decoded.StandardError);
            var pcm = new short[decoded.Output.Length / 2];
            Buffer.BlockCopy(decoded.Output, 0, pcm, 0, pcm.Length * 2);
            return new RecordedAudio(ogg, Text(info.Output), Text(probe.Output), pcm);
        }
        finally
        {
            File.Delete(oggPath);
        }
    }

    /// <summary>Mean power of a channel (0 = left, 1 = right) over [from, to) seconds.</summary>
    public double Power(int channel, double from, double to)
    {
        var (start, end) = Range(from, to);
        return ToneMeter.Power(Pcm.AsSpan(2 * start, 2 * (end - start)), stride: 2, offset: channel);
    }

    /// <summary>Power at one frequency (Goertzel) of a channel over [from, to) seconds.</summary>
    public double TonePower(int channel, double frequency, double from, double to)
    {
        var (start, end) = Range(from, to);
        return ToneMeter.TonePower(Pcm.AsSpan(2 * start, 2 * (end - start)), Rate, frequency, stride: 2, offset: channel);
    }

    /// <summary>Per 250 ms: each channel's level in dB (for failure messages).</summary>
    public string Profile()
    {
        var text = new System.Text.StringBuilder();
        for (double t = 0; t + 0.25 <= Seconds; t += 0.25)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{t,5:F2} s  L {Decibels(Power(0, t, t + 0.25), 1),5:F1} dB  R {Decibels(Power(1, t, t + 0.25), 1),5:F1} dB");
        }

        return text.ToString();
    }

    public static double Decibels(double power, double reference) => ToneMeter.Decibels(power, reference);

    private (int Start, int End) Range(double from, double to)
    {
        int frames = Pcm.Length / 2;
        int start = Math.Clamp((int)(from * Rate), 0, frames);
        int end = Math.Clamp((int)(to * Rate), start, frames);
        Assert.True(end - start >= Rate / 10, $"[{from}, {to}) s is outside the {Seconds:F2} s recording");
        return (start, end);
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>Runs opusinfo, ffprobe or ffmpeg (a missing tool fails the test), <paramref name="input"/> on its standard input; at most 60 s.</summary>
    internal static (int ExitCode, byte[] Output, string StandardError) Run(string tool, byte[]? input, params string[] arguments)
    {
        string path = ExternalTools.Find(tool, tool == "opusinfo" ? "opus-tools" : "ffmpeg");
        var info = new ProcessStartInfo(path) { RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        if (input is not null)
        {
            // Written while stdout drains, so a large decode cannot block on a full pipe.
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        }

        Assert.True(process.WaitForExit(60_000), $"{tool} did not finish within 60 s");
        copy.Wait();
        return (process.ExitCode, output.ToArray(), error.Result);
    }

    [GeneratedRegex(@"Playback length: (\d+)m:([\d.]+)s")]
    private static partial Regex PlaybackLengthPattern();
}
