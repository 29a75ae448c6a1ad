using System.Runtime.InteropServices;

namespace CallSwitch.Media.Relay;

/// <summary>The three Linux epoll calls the epoll socket model needs (epoll(7)).</summary>
internal static partial class EpollNative
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const int EpollCloexec = 0x80000;
    public const int Eintr = 4;

    /// <summary>
    /// Size of struct epoll_event: packed (12 bytes) on x86-64 as the kernel ABI has it there,
    /// naturally aligned (16 bytes) elsewhere.
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of the 64-bit user data in struct epoll_event.</summary>
    public static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static bool IsSupported => OperatingSystem.IsLinux();

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int Control(int epollFd, int operation, int fd, byte* epollEvent);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int Wait(int epollFd, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
