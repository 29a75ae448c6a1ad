namespace CallSwitch.TestSupport;

/// <summary>The real programs tests start (SIPp, baresip, opusinfo, ffmpeg), found on PATH. A missing one fails the test; it never skips.</summary>
public static class ExternalTools
{
    /// <summary>The full path of <paramref name="tool"/>; throws, naming the Debian <paramref name="package"/> to install, when it is not on PATH.</summary>
    public static string Find(string tool, string package)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{tool} is not installed (apt-get install {package}); the interop tests need the real program.");
    }
}
