using System.Runtime.InteropServices;

namespace CallSwitch.Media.Relay;

/// <summary>
/// Linux's batched datagram calls, recvmmsg(2) and sendmmsg(2), and connect(2): one system call
/// for many datagrams of one socket. The structures are the kernel's (LP64 and ILP32 alike:
/// sequential layout with natural alignment reproduces the C padding).
/// </summary>
internal static unsafe partial class DatagramNative
{
    public const int MsgDontWait = 0x40;
    public const int MsgTrunc = 0x20;

    /// <summary>Room for the largest socket address the relay receives from (sockaddr_in6).</summary>
    public const int AddressCapacity = 28;

    // recvmmsg and sendmmsg are only ever called with MSG_DONTWAIT: they never sleep, so they
    // can neither block the runtime (no GC transition: the thread stays in cooperative mode for
    // the few microseconds of the call, and a GC waits at most that long for it) nor be
    // interrupted by a signal (no EINTR); the relay needs no errno from them, only the result
    // (measured: bench/notes/2026-12-07-relay-batching.md).

    /// <summary>Receives up to <paramref name="length"/> datagrams without waiting; -1 on error (EAGAIN: none waiting).</summary>
    [LibraryImport("libc", EntryPoint = "recvmmsg")]
    [SuppressGCTransition]
    public static partial int ReceiveMany(int fd, MultiMessageHeader* messages, uint length, int flags, void* timeout);

    /// <summary>Sends up to <paramref name="length"/> datagrams without waiting; the count sent, or -1 when the first failed.</summary>
    [LibraryImport("libc", EntryPoint = "sendmmsg")]
    [SuppressGCTransition]
    public static partial int SendMany(int fd, MultiMessageHeader* messages, uint length, int flags);

    /// <summary>connect(2) of a datagram socket: fixes its destination and filters what it receives; AF_UNSPEC dissolves it.</summary>
    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, uint addressLength);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vector;
        public nuint VectorLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr: a message and, on return, its length.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }
}
