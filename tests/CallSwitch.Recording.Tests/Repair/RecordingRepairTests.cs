using System.Buffers.Binary;
using System.Security.Cryptography;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Repair;
using CallSwitch.Recording.Tests.Support;

namespace CallSwitch.Recording.Tests.Repair;

/// <summary>
/// Crash repair of encrypted recordings: a recording is written by the real chain (Opus → Ogg →
/// encrypted chunks) and "crashed" by taking only what had reached the file, then cut at every
/// chunk boundary, inside chunks, inside a page; the repaired files must decrypt to the end and
/// satisfy opusinfo, keeping every whole page that was flushed.
/// </summary>
public sealed class RecordingRepairTests : IDisposable
{
    private const int Rate = 16000;

    // 20 ms packets, pages of OpusRecordingWriter.PageDuration.
    private static readonly int PacketsPerPage = (int)(OpusRecordingWriter.PageDuration / TimeSpan.FromMilliseconds(20));
    private readonly string _directory = Directory.CreateTempSubdirectory("cs-repair-").FullName;
    private readonly RecordingKeyManager _keys = new(new InMemoryKeyStore(), MasterKey.Generate());

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TruncatedAtEveryChunkBoundaryKeepsEveryWholePageAndPassesOpusinfo()
    {
        // Seven pages' worth written: six reached the file, the last was still in the Ogg writer
        // (it is written when the next packet starts a page) when the "crash" came.
        Crashed crashed = WriteCrashed(frames: 7 * PacketsPerPage);
        List<long> boundaries = ChunkBoundaries(crashed.Bytes);
        Assert.Equal(7, boundaries.Count); // headers chunk + 6 page chunks
        Assert.Equal(crashed.Bytes.Length, boundaries[^1]);

        for (int i = 0; i < boundaries.Count; i++)
        {
            string path = Save($"boundary-{i}.ogg.enc", crashed.Bytes.AsSpan(0, (int)boundaries[i]));
            RecordingRepairResult result = RecordingRepair.Repair(path, Key);
            if (i == 0)
            {
                // Only the Opus headers had been written: no audio, nothing to keep.
                Assert.Equal(RecordingRepairOutcome.NoAudio, result.Outcome);
                Assert.False(File.Exists(path));
                continue;
            }

            Assert.Equal(RecordingRepairOutcome.Repaired, result.Outcome);
            byte[] ogg = DecryptWhole(path);
            List<OggPageReader.Page> pages = OggPageReader.Read(ogg);
            Assert.Equal(2 + i, pages.Count);
            Assert.Equal((byte)OggPageFlags.EndOfStream, pages[^1].Flags);
            Assert.All(pages.SkipLast(1), p => Assert.Equal(0, p.Flags & (byte)OggPageFlags.EndOfStream));
            Assert.Equal(i * PacketsPerPage, pages.Skip(2).Sum(p => OggPageReader.Packets(p).Count));

            // Apart from the flag and its CRC, the pages are the ones that were written.
            Assert.Equal(crashed.Ogg.AsSpan(0, ogg.Length - pages[^1].Raw.Length).ToArray(), ogg.AsSpan(0, ogg.Length - pages[^1].Raw.Length).ToArray());
            Assert.Equal(pages[^1].Body, crashed.Ogg.AsSpan(ogg.Length - pages[^1].Body.Length, pages[^1].Body.Length).ToArray());

            TimeSpan expected = TimeSpan.FromTicks(((i * PacketsPerPage * 960) - crashed.PreSkip) * TimeSpan.TicksPerSecond / 48000);
            Assert.Equal(expected, result.Duration);
            Assert.Equal(new FileInfo(path).Length, result.FileSize);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), result.CiphertextSha256);
            AssertOpusinfoAccepts(ogg, result.Duration);
        }
    }

    [Fact]
    public void TruncatedInsideAChunkLosesThatChunkOnly()
    {
        Crashed crashed = WriteCrashed(frames: 175);
        List<long> boundaries = ChunkBoundaries(crashed.Bytes);
        foreach (int cut in new[] { 3, 200, (int)(boundaries[3] - boundaries[2]) - 1 })
        {
            int length = (int)boundaries[2] + cut;
            string path = Save($"inside-{cut}.ogg.enc", crashed.Bytes.AsSpan(0, length));

            RecordingRepairResult result = RecordingRepair.Repair(path, Key);

            Assert.Equal(RecordingRepairOutcome.Repaired, result.Outcome);
            List<OggPageReader.Page> pages = OggPageReader.Read(DecryptWhole(path));
            Assert.Equal(4, pages.Count);
            Assert.Equal(2 * PacketsPerPage, pages.Skip(2).Sum(p => OggPageReader.Packets(p).Count));
        }
    }

    [Fact]
    public void ATornLastPageIsDroppedAndThePageBeforeEndsTheStream()
    {
        // 1 KiB chunks: each page spans several chunks, so a crash can leave half a page authenticated.
        Crashed crashed = WriteCrashed(frames: 175, chunkSize: 1024);
        List<long> boundaries = ChunkBoundaries(crashed.Bytes);
        List<OggPageReader.Page> written = OggPageReader.Read(crashed.Ogg);
        int thirdPageStart = written.Take(4).Sum(p => p.Raw.Length);
        int plainSoFar = (int)boundaries[0] - EncryptedFileHeader.Length - 20, torn = -1;
        for (int i = 1; i < boundaries.Count; i++)
        {
            plainSoFar += (int)(boundaries[i] - boundaries[i - 1]) - 20;
            if (plainSoFar > thirdPageStart + 100 && plainSoFar < thirdPageStart + written[4].Raw.Length)
            {
                torn = i;
                break;
            }
        }

        Assert.True(torn > 0, "no chunk boundary falls inside the fifth page");
        string path = Save("torn.ogg.enc", crashed.Bytes.AsSpan(0, (int)boundaries[torn]));

        RecordingRepairResult result = RecordingRepair.Repair(path, Key);

        Assert.Equal(RecordingRepairOutcome.Repaired, result.Outcome);
        Assert.Equal(plainSoFar - thirdPageStart, result.DiscardedBytes);
        byte[] ogg = DecryptWhole(path);
        List<OggPageReader.Page> pages = OggPageReader.Read(ogg);
        Assert.Equal(4, pages.Count);
        Assert.Equal((byte)OggPageFlags.EndOfStream, pages[^1].Flags);
        AssertOpusinfoAccepts(ogg, result.Duration);
    }

    [Fact]
    public void RepairIsIdempotentAndCleansUpAnInterruptedEarlierRun()
    {
        Crashed crashed = WriteCrashed(frames: 120);
        string path = Save("again.ogg.enc", crashed.Bytes);

        // An earlier repair died while writing its replacement.
        File.WriteAllBytes(path + RecordingRepair.TemporarySuffix, [1, 2, 3]);
        RecordingRepairResult first = RecordingRepair.Repair(path, Key);
        RecordingRepairResult second = RecordingRepair.Repair(path, Key);

        Assert.Equal(RecordingRepairOutcome.Repaired, first.Outcome);
        Assert.Equal(RecordingRepairOutcome.AlreadyComplete, second.Outcome);
        Assert.Equal(first.Duration, second.Duration);
        Assert.Equal(first.FileSize, second.FileSize);
        Assert.Equal(first.CiphertextSha256, second.CiphertextSha256);
        Assert.False(File.Exists(path + RecordingRepair.TemporarySuffix));
    }

    [Fact]
    public void AProperlyClosedRecordingIsLeftAsItIs()
    {
        string path = Path.Combine(_directory, "closed.ogg.enc");
        using (DataKey key = _keys.CreateDataKey())
        using (var encrypted = new EncryptedRecordingWriter(File.Create(path), key.Key, key.Id))
        using (var writer = NewWriter(encrypted))
        {
            WriteFrames(writer, 60);
            writer.Complete();
        }

        byte[] before = File.ReadAllBytes(path);
        RecordingRepairResult result = RecordingRepair.Repair(path, Key);

        Assert.Equal(RecordingRepairOutcome.AlreadyComplete, result.Outcome);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(TimeSpan.FromSeconds(1.2), result.Duration);
    }

    [Fact]
    public void AnEmptyFileOrAHeaderCutShortHasNoAudioAndIsDeleted()
    {
        Crashed crashed = WriteCrashed(frames: 60);
        foreach (int length in new[] { 0, 20, EncryptedFileHeader.Length, EncryptedFileHeader.Length + 30 })
        {
            string path = Save($"empty-{length}.ogg.enc", crashed.Bytes.AsSpan(0, length));

            RecordingRepairResult result = RecordingRepair.Repair(path, Key);

            Assert.Equal(RecordingRepairOutcome.NoAudio, result.Outcome);
            Assert.Equal(TimeSpan.Zero, result.Duration);
            Assert.Null(result.FileSize);
            Assert.False(File.Exists(path));
        }
    }

    [Fact]
    public void AMissingFileIsReportedAsSuch()
    {
        RecordingRepairResult result = RecordingRepair.Repair(Path.Combine(_directory, "gone.ogg.enc"), Key);

        Assert.Equal(RecordingRepairOutcome.Missing, result.Outcome);
        Assert.Null(result.FileSize);
        Assert.Null(result.CiphertextSha256);
    }

    [Fact]
    public void DamageBeforeTheEndOrAMissingKeyLeavesTheFileUntouched()
    {
        Crashed crashed = WriteCrashed(frames: 175);
        List<long> boundaries = ChunkBoundaries(crashed.Bytes);
        byte[] damaged = crashed.Bytes.ToArray();
        damaged[boundaries[1] + 30] ^= 0x40;
        string path = Save("damaged.ogg.enc", damaged);

        RecordingRepairResult result = RecordingRepair.Repair(path, Key);

        Assert.Equal(RecordingRepairOutcome.Unreadable, result.Outcome);
        Assert.Contains("authentication", result.Detail, StringComparison.Ordinal);
        Assert.Equal(damaged, File.ReadAllBytes(path));

        string other = Save("no-key.ogg.enc", crashed.Bytes);
        _keys.Shred(crashed.KeyId);
        result = RecordingRepair.Repair(other, Key);
        Assert.Equal(RecordingRepairOutcome.Unreadable, result.Outcome);
        Assert.Equal(crashed.Bytes, File.ReadAllBytes(other));
    }

    private byte[] Key(Guid id) => _keys.GetDataKey(id).Key.ToArray();

    private string Save(string name, ReadOnlySpan<byte> bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private byte[] DecryptWhole(string path)
    {
        using var reader = EncryptedRecordingReader.Open(File.OpenRead(path), Key);
        using var plain = new MemoryStream();
        reader.CopyTo(plain);
        return plain.ToArray();
    }

    private void AssertOpusinfoAccepts(byte[] ogg, TimeSpan duration)
    {
        string path = Path.Combine(_directory, $"check-{Guid.NewGuid():N}.ogg");
        File.WriteAllBytes(path, ogg);
        var info = ExternalTool.Run("opusinfo", false, path);
        Assert.True(info.ExitCode == 0 && info.StandardError.Trim().Length == 0, $"opusinfo: {info.StandardError}{info.StandardOutput}");
        Assert.DoesNotContain("WARNING", info.StandardOutput, StringComparison.OrdinalIgnoreCase);
        System.Text.RegularExpressions.Match length = System.Text.RegularExpressions.Regex.Match(info.StandardOutput, @"Playback length: (\d+)m:([\d.]+)s");
        Assert.True(length.Success, "no playback length in:\n" + info.StandardOutput);
        double seconds = (int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 60) + double.Parse(length.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(seconds - duration.TotalSeconds) < 0.002, $"opusinfo says {seconds} s, the repair {duration.TotalSeconds} s");
        var probe = ExternalTool.Run("ffprobe", false, "-v", "error", "-show_streams", path);
        Assert.True(probe.ExitCode == 0 && probe.StandardError.Trim().Length == 0, "ffprobe: " + probe.StandardError);
    }

    /// <summary>Ends of the header and of each whole chunk (4-byte length field, ciphertext, 16-byte tag).</summary>
    private static List<long> ChunkBoundaries(byte[] file)
    {
        var ends = new List<long>();
        long offset = EncryptedFileHeader.Length;
        while (offset + 4 <= file.Length)
        {
            int length = (int)(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)offset)) & 0x7FFF_FFFF);
            long end = offset + 4 + length + EncryptedRecordingWriter.TagLength;
            if (end > file.Length)
            {
                break;
            }

            ends.Add(end);
            offset = end;
        }

        return ends;
    }

    /// <summary>
    /// Writes <paramref name="frames"/> of 20 ms through the real chain into a memory stream and
    /// returns what had been handed to the "file" at that moment: the state a kill -9 leaves.
    /// </summary>
    private Crashed WriteCrashed(int frames, int chunkSize = 64 * 1024)
    {
        using var file = new MemoryStream();
        using var plain = new MemoryStream();
        using DataKey key = _keys.CreateDataKey();
        var encrypted = new EncryptedRecordingWriter(file, key.Key, key.Id, chunkSize, leaveOpen: true);
        using var writer = NewWriter(new TeeStream(encrypted, plain));
        WriteFrames(writer, frames);

        // Not completed, not disposed: the process died here.
        return new Crashed(file.ToArray(), plain.ToArray(), writer.Encoder.PreSkip, key.Id);
    }

    private static OpusRecordingWriter NewWriter(Stream output) =>
        new(output, new StereoOpusEncoder(new StereoOpusEncoderOptions()), new RecordingTags("rec-crash", "campaign-1"), serialNumber: 5);

    private static void WriteFrames(OpusRecordingWriter writer, int frames) =>
        Signals.WriteConversation(writer, Rate, frames, _ => true, _ => true);

    private sealed record Crashed(byte[] Bytes, byte[] Ogg, int PreSkip, Guid KeyId);

    /// <summary>Passes writes to the encrypting writer and keeps a copy of the plaintext the Ogg writer produced.</summary>
    private sealed class TeeStream(Stream target, Stream copy) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => target.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            target.Write(buffer);
            copy.Write(buffer);
        }
    }
}
