using System.Diagnostics;
using CallSwitch.TestSupport;

namespace CallSwitch.Recording.Tests.Support;

/// <summary>Runs opusinfo, ffprobe, ffmpeg. A missing tool fails the test; it never skips.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, byte[] Bytes);

    public static Result Run(string tool, bool binaryOutput, params string[] arguments)
    {
        string path = ExternalTools.Find(tool, tool == "opusinfo" ? "opus-tools" : "ffmpeg");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        byte[] bytes = [];
        string text = string.Empty;
        if (binaryOutput)
        {
            using var buffer = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        else
        {
            text = process.StandardOutput.ReadToEnd();
        }

        Assert.True(process.WaitForExit(60_000), $"{tool} did not finish within 60 s");
        return new Result(process.ExitCode, text, error.Result, bytes);
    }
}
