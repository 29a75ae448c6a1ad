using System.Runtime.InteropServices;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// fsync of a folder, so that a file's deletion (or creation) survives a power cut: .NET has no
/// API for it (a directory cannot be opened as a FileStream), so libc is called directly on Linux.
/// Elsewhere it does nothing (the switch runs on Linux; development machines lose nothing by it).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000;

    /// <summary>Flushes the folder's entries to the disk.</summary>
    /// <exception cref="IOException">The folder cannot be opened or flushed.</exception>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(directory, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"cannot open the folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush the folder {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
