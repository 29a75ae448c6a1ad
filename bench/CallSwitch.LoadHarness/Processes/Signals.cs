using System.Runtime.InteropServices;

namespace CallSwitch.LoadHarness.Processes;

/// <summary>kill(2): .NET sends SIGKILL only (Process.Kill); a graceful stop needs SIGTERM.</summary>
internal static partial class Signals
{
    public const int SigTerm = 15;

    /// <summary>SIPp's soft exit: no new call, exit once the calls in progress have ended.</summary>
    public const int SigUsr1 = 10;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
