using System.Runtime.InteropServices;

namespace CallSwitch.LoadHarness.Processes;

/// <summary>kill(2): .NET sends SIGKILL only (Process.Kill); a graceful stop needs SIGTERM.</summary>
internal static partial class Signals
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
