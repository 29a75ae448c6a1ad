using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Encryption;

namespace CallSwitch.Server.Tests.Calls;

/// <summary>
/// A recording as a listener gets it: decrypted with the key manager, judged by opusinfo and
/// decoded by ffmpeg to 48 kHz stereo PCM, with the measurements the tests compare per channel.
/// A missing tool fails the test; it never skips.
/// </summary>
internal sealed partial class RecordedAudio
{
    public const int Rate = 48000;

    private RecordedAudio(byte[] ogg, string opusInfo, short[] pcm)
    {
        Ogg = ogg;
        OpusInfo = opusInfo;
        Pcm = pcm;
    }

    /// <summary>The decrypted Ogg Opus file.</summary>
    public byte[] Ogg { get; }

    /// <summary>What opusinfo said.</summary>
    public string OpusInfo { get; }

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

    /// <summary>Decrypts <paramref name="path"/>, runs opusinfo (must exit 0 without complaint) and decodes with ffmpeg from stdin.</summary>
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
            var probe = Run("ffprobe", null, "-v", "error", "-show_entries", "stream=codec_name,channels", "-of", "csv=p=0", oggPath);
            Assert.True(probe.ExitCode == 0 && probe.StandardError.Trim().Length == 0, "ffprobe: " + probe.StandardError);
            Assert.Equal("opus,2", Text(probe.Output).Trim());
            var decoded = Run("ffmpeg", ogg, "-v", "error", "-i", "-", "-f", "s16le", "-ac", "2", "-ar", Rate.ToString(CultureInfo.InvariantCulture), "-");
            Assert.True(decoded.ExitCode == 0, "ffmpeg: " + decoded.StandardError);
            var pcm = new short[decoded.Output.Length / 2];
            Buffer.BlockCopy(decoded.Output, 0, pcm, 0, pcm.Length * 2);
            return new RecordedAudio(ogg, Text(info.Output), pcm);
        }
        finally
        {
            File.Delete(oggPath);
        }
    }

    /// <summary>Consecutive 20 ms PCMU frames of a continuous tone (8 kHz, amplitude 8000).</summary>
    public static byte[][] PcmuTone(double hz, int frames)
    {
        IAudioEncoder encoder = CodecRegistry.Default.CreateEncoder(AudioCodecInfo.Pcmu);
        var pcm = new short[160];
        var result = new byte[frames][];
        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < 160; i++)
            {
                pcm[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * hz * ((f * 160) + i) / 8000));
            }

            result[f] = new byte[160];
            encoder.Encode(pcm, result[f]);
        }

        return result;
    }

    /// <summary>Mean power of a channel (0 = left, 1 = right) over [from, to) seconds.</summary>
    public double Power(int channel, double from, double to)
    {
        var (start, end) = Range(from, to);
        double sum = 0;
        for (int i = start; i < end; i++)
        {
            double x = Pcm[(2 * i) + channel];
            sum += x * x;
        }

        return sum / Math.Max(1, end - start);
    }

    /// <summary>Power at one frequency (Goertzel) of a channel over [from, to) seconds.</summary>
    public double TonePower(int channel, double frequency, double from, double to)
    {
        var (start, end) = Range(from, to);
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / Rate);
        double s1 = 0, s2 = 0;
        for (int i = start; i < end; i++)
        {
            double s0 = Pcm[(2 * i) + channel] + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        double n = Math.Max(1, end - start);
        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / (n * n);
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

    public static double Decibels(double power, double reference) => 10 * Math.Log10(Math.Max(power, 1e-9) / Math.Max(reference, 1e-9));

    private (int Start, int End) Range(double from, double to)
    {
        int frames = Pcm.Length / 2;
        int start = Math.Clamp((int)(from * Rate), 0, frames);
        int end = Math.Clamp((int)(to * Rate), start, frames);
        Assert.True(end - start >= Rate / 10, $"[{from}, {to}) s is outside the {Seconds:F2} s recording");
        return (start, end);
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private static (int ExitCode, byte[] Output, string StandardError) Run(string tool, byte[]? input, params string[] arguments)
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"{tool} is not installed: apt-get install -y opus-tools ffmpeg");
        var info = new ProcessStartInfo(path!) { RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
