using System.Runtime.InteropServices;

namespace CallSwitch.LoadHarness.Rtp;

/// <summary>
/// The few libc calls the generator needs (Linux only): epoll to wait on every socket from
/// one thread, and <c>recvfrom</c>/<c>sendto</c> straight on the descriptors so that an
/// empty socket costs an error code, not an exception, and nothing is allocated per packet.
/// </summary>
internal static unsafe partial class Native
{
    public const int EpollIn = 0x001;
    public const int EpollCtlAdd = 1;
    public const int MsgDontWait = 0x40;
    public const int Eintr = 4;
    public const int Eagain = 11;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of epoll_event.data.</summary>
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvfrom(int fd, byte* buf, nuint len, int flags, SockAddrIn* addr, int* addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendto(int fd, byte* buf, nuint len, int flags, SockAddrIn* addr, int addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);
}
