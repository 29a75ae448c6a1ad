using System.Buffers.Binary;
using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;

namespace CallSwitch.Recording.Repair;

/// <summary>
/// Turns the spool file of a recording cut short by a crash into a valid one: decrypts it up to
/// the last authenticated chunk, keeps the whole Ogg pages, sets end-of-stream on the last audio
/// page (with a fresh CRC), and re-encrypts that into a new file closed by a final chunk, which
/// atomically replaces the old one.
/// </summary>
/// <remarks>
/// <para>
/// The same data key is used (the key id stays valid in the key store and the metadata) with a
/// fresh random base nonce, so no chunk nonce repeats under the key. The new file is written to
/// <c>{path}.repair</c>, flushed to disk, then renamed over the original: a crash at any point
/// leaves either the old file (repaired again next time) or the whole new one (found complete).
/// Running it again is therefore always safe. The folder itself is not fsynced (.NET cannot): a
/// power cut right after the rename may bring the old file back, which the next start repairs again.
/// </para>
/// <para>
/// A crash only ever tears the end of a file (kill -9 loses what the process had not yet handed
/// to the kernel). A chunk that fails authentication with more data after it is damage of another
/// kind: such a file is left untouched and reported <see cref="RecordingRepairOutcome.Unreadable"/>.
/// </para>
/// <para>Thread-safe for different files; one repair per file at a time.</para>
/// </remarks>
public static class RecordingRepair
{
    /// <summary>The suffix of the file written before it replaces the original.</summary>
    public const string TemporarySuffix = ".repair";

    private const int OpusHeadPreSkipOffset = 10;

    /// <summary>Repairs <paramref name="path"/> if it needs it; see <see cref="RecordingRepairOutcome"/>.</summary>
    /// <param name="path">The encrypted recording.</param>
    /// <param name="resolveKey">Returns the data key for the header's key id (the caller's copy is cleared after use); throws <see cref="KeyNotFoundException"/> when gone.</param>
    /// <exception cref="IOException">The file or its replacement cannot be read or written.</exception>
    public static RecordingRepairResult Repair(string path, Func<Guid, byte[]> resolveKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(resolveKey);
        string temporary = path + TemporarySuffix;
        File.Delete(temporary);
        if (!File.Exists(path))
        {
            return new RecordingRepairResult { Outcome = RecordingRepairOutcome.Missing, Detail = "no file" };
        }

        Decrypted? decrypted = Decrypt(path, resolveKey, out string? unreadable);
        if (decrypted is null)
        {
            return new RecordingRepairResult { Outcome = RecordingRepairOutcome.Unreadable, Detail = unreadable! };
        }

        using (decrypted)
        {
            byte[] plain = decrypted.Plaintext;
            int plainLength = decrypted.PlaintextLength;
            if (!TryFindLastAudioPage(plain.AsSpan(0, plainLength), out OggPageScanner.Page last, out int preSkip))
            {
                File.Delete(path);
                return new RecordingRepairResult
                {
                    Outcome = RecordingRepairOutcome.NoAudio,
                    DiscardedBytes = plainLength,
                    Detail = $"no whole audio page in {plainLength} authenticated byte(s); file deleted",
                };
            }

            var duration = TimeSpan.FromTicks(Math.Max(0, last.GranulePosition - preSkip) * TimeSpan.TicksPerSecond / OggOpusWriter.GranuleRate);
            if (decrypted.FinalChunkSeen && last.End == plainLength && last.Flags.HasFlag(OggPageFlags.EndOfStream))
            {
                return new RecordingRepairResult
                {
                    Outcome = RecordingRepairOutcome.AlreadyComplete,
                    Duration = duration,
                    FileSize = new FileInfo(path).Length,
                    CiphertextSha256 = HashFile(path),
                    Detail = "already complete",
                };
            }

            OggPageScanner.MarkEndOfStream(plain.AsSpan(last.Offset, last.Length));
            WriteReplacement(temporary, plain.AsSpan(0, last.End), decrypted);
            File.Move(temporary, path, overwrite: true);
            return new RecordingRepairResult
            {
                Outcome = RecordingRepairOutcome.Repaired,
                Duration = duration,
                FileSize = new FileInfo(path).Length,
                CiphertextSha256 = HashFile(path),
                DiscardedBytes = plainLength - last.End,
                Detail = decrypted.FinalChunkSeen
                    ? "closed without end-of-stream; last page marked"
                    : $"truncated after chunk {decrypted.Chunks}; {plainLength - last.End} byte(s) of a torn page dropped",
            };
        }
    }

    /// <summary>The last whole page that ends an audio packet, after the two Opus header pages (RFC 7845 §3).</summary>
    private static bool TryFindLastAudioPage(ReadOnlySpan<byte> plain, out OggPageScanner.Page last, out int preSkip)
    {
        last = default;
        preSkip = 0;
        List<OggPageScanner.Page> pages = OggPageScanner.Scan(plain);
        if (pages.Count < 3)
        {
            return false;
        }

        OggPageScanner.Page head = pages[0];
        int body = head.Offset + OggPageWriter.HeaderLength + plain[head.Offset + 26];
        if (head.End - body < OpusHeadPreSkipOffset + 2 || !plain[body..].StartsWith("OpusHead"u8))
        {
            return false;
        }

        preSkip = BinaryPrimitives.ReadUInt16LittleEndian(plain[(body + OpusHeadPreSkipOffset)..]);

        // A page on which no packet ends (granule -1), or whose last packet goes on in a page that
        // was lost, cannot end the stream.
        for (int i = pages.Count - 1; i >= 2; i--)
        {
            if (pages[i].GranulePosition >= 0 && !pages[i].EndsWithContinuedPacket)
            {
                last = pages[i];
                return true;
            }
        }

        return false;
    }

    private static Decrypted? Decrypt(string path, Func<Guid, byte[]> resolveKey, out string? unreadable)
    {
        unreadable = null;
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = input.Length;
        EncryptedFileHeader header;
        byte[] headerBytes;
        try
        {
            (header, headerBytes) = EncryptedFileHeader.Read(input);
        }
        catch (EndOfStreamException)
        {
            // Torn before the header was whole: nothing was ever encrypted in it.
            return new Decrypted(null, [], 0, false, 0);
        }
        catch (RecordingIntegrityException e)
        {
            unreadable = e.Message;
            return null;
        }

        byte[] key;
        try
        {
            key = resolveKey(header.KeyId);
        }
        catch (KeyNotFoundException e)
        {
            unreadable = e.Message;
            return null;
        }

        var plain = new MemoryStream();
        bool final = true;
        long chunks = 0;
        try
        {
            using var reader = new EncryptedRecordingReader(input, header, headerBytes, key, leaveOpen: true);
            byte[] buffer = new byte[header.ChunkSize];
            try
            {
                int read;
                while ((read = reader.Read(buffer)) > 0)
                {
                    plain.Write(buffer, 0, read);
                    chunks++;
                }
            }
            catch (RecordingIntegrityException e)
            {
                if (input.Position < length)
                {
                    // Data after the failing chunk: not a torn end.
                    unreadable = e.Message;
                    CryptographicOperations.ZeroMemory(key);
                    return null;
                }

                final = false;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(buffer);
            }
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }

        return new Decrypted(header, key, (int)plain.Length, final, chunks) { Buffer = plain };
    }

    private static void WriteReplacement(string temporary, ReadOnlySpan<byte> plain, Decrypted decrypted)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(temporary, options);
            using (var writer = new EncryptedRecordingWriter(file, decrypted.Key, decrypted.Header!.KeyId, decrypted.Header.ChunkSize, leaveOpen: true))
            {
                writer.Write(plain);
                writer.Complete();
            }

            // On disk before the rename makes it the recording.
            file.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static string HashFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>The authenticated plaintext of a file, with the key that decrypted it (cleared on disposal).</summary>
    private sealed record Decrypted(EncryptedFileHeader? Header, byte[] Key, int PlaintextLength, bool FinalChunkSeen, long Chunks) : IDisposable
    {
        public MemoryStream? Buffer { get; init; }

        public byte[] Plaintext => Buffer?.GetBuffer() ?? [];

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(Key);
            if (Buffer is not null)
            {
                CryptographicOperations.ZeroMemory(Buffer.GetBuffer());
                Buffer.Dispose();
            }
        }
    }
}
