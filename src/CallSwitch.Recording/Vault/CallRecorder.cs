using System.Buffers;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Timeline;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// One recording being made: the chain from the two party taps to the encrypted spool file
/// (taps → <see cref="RecordingPump"/> on a <see cref="RecorderScheduler"/> or a task of its own →
/// <see cref="StereoRecorder"/> → <see cref="OpusRecordingWriter"/> →
/// <see cref="EncryptedRecordingWriter"/> with a fresh data key → <see cref="HeldBackStream"/> →
/// <see cref="WriteBehindStream"/> → the vault's <see cref="SpoolWriter"/> thread →
/// <see cref="Sha256CountingStream"/> → file). Knows nothing of calls: whoever owns it attaches
/// the taps to the relay. Made by <see cref="RecordingVault.CreateRecorder"/>, which places the
/// file and holds the keys.
/// </summary>
/// <remarks>
/// Threads: creation, <see cref="Start"/> and <see cref="StopAsync"/> are called by
/// one owner at a time; the pump runs on the scheduler's workers (or its own task) and is the only
/// producer of the file's bytes until it has stopped; the vault's writer thread alone writes them
/// to the file, so the pump never waits on the disk (only at the writer's caps: then its step
/// blocks, and in the pump-on-its-own-task mode that is a thread-pool thread). A write failure
/// (the writer's) ends <see cref="Running"/> with the exception at the pump's next write.
/// </remarks>
public sealed class CallRecorder
{
    private readonly Sha256CountingStream _file;
    private readonly WriteBehindStream _sink;
    private readonly HeldBackStream _held;
    private readonly EncryptedRecordingWriter _encrypted;
    private readonly OpusRecordingWriter _opus;
    private readonly StereoRecorder _recorder;
    private readonly RecordingPump _pump;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task<TimeSpan>? _running;

    private CallRecorder(
        string recordingId,
        string filePath,
        Guid keyId,
        string masterKeyId,
        WriteBehindStream sink,
        HeldBackStream held,
        EncryptedRecordingWriter encrypted,
        OpusRecordingWriter opus,
        TimeProvider time,
        IReadOnlyDictionary<int, AudioCodecInfo> agentPayloadTypes,
        IReadOnlyDictionary<int, AudioCodecInfo> prospectPayloadTypes,
        int sampleRate)
    {
        RecordingId = recordingId;
        FilePath = filePath;
        KeyId = keyId;
        MasterKeyId = masterKeyId;
        _file = sink.File;
        _sink = sink;
        _held = held;
        _encrypted = encrypted;
        _opus = opus;
        _time = time;
        AgentTap = new PartyTap(Party.Agent, MediaDirection.Received, TapCapacity, TapPacketLength, time, TapBlocks);
        ProspectTap = new PartyTap(Party.Prospect, MediaDirection.Received, TapCapacity, TapPacketLength, time, TapBlocks);
        _recorder = new StereoRecorder(opus, time, new StereoRecorderOptions { SampleRate = sampleRate });
        _pump = new RecordingPump(_recorder, time, (AgentTap, agentPayloadTypes), (ProspectTap, prospectPayloadTypes), CodecRegistry.Default);
    }

    /// <summary>The recording's id.</summary>
    public string RecordingId { get; }

    /// <summary>The encrypted file.</summary>
    public string FilePath { get; }

    /// <summary>The data key's id.</summary>
    public Guid KeyId { get; }

    /// <summary>The master key that wrapped the data key.</summary>
    public string MasterKeyId { get; }

    /// <summary>
    /// Packets each party's queue holds: 5.12 s of 20 ms packets. The relay rides out a stall of
    /// the switch (a machine short of CPU) in its sockets' buffers and loses nothing; the
    /// recorder must ride out the same stall, since its pump waits for a core too. At 64 slots
    /// (1.28 s) the load harness saw recordings marked incomplete at 300 calls while the relay
    /// lost nothing (bench/README.md, "Recording on").
    /// </summary>
    internal const int TapCapacity = 256;

    /// <summary>
    /// Bytes per queued packet: RTP header with room for extensions and CSRCs, and up to 60 ms
    /// of G.711 or G.722 (480 bytes). Longer packets are dropped and counted. A tap's ring keeps
    /// 256 bytes per slot in one 64 KiB block (a 20 ms G.711 packet is 172 bytes); a slot that
    /// gets a longer packet grows to this length.
    /// </summary>
    internal const int TapPacketLength = 640;

    /// <summary>
    /// The taps' ring blocks, reused from one recording to the next (a tap gives its block back
    /// when its recording stops, once no relay thread is copying into it): private to the
    /// recorder, so that what a block last held is read by no other code. Up to 512 blocks
    /// (32 MiB) wait here between recordings.
    /// </summary>
    private static readonly ArrayPool<byte> TapBlocks = ArrayPool<byte>.Create(BoundedCopySink.BlockLength(TapCapacity, TapPacketLength), 512);

    /// <summary>The left channel's queue (the agent, or the notice before the parties are connected).</summary>
    public PartyTap AgentTap { get; }

    /// <summary>The right channel's queue: what the prospect sends (leg B, received).</summary>
    public PartyTap ProspectTap { get; }

    /// <summary>20 ms frames emitted by the timeline so far (to the encoder); any thread.</summary>
    internal long FramesEmitted => _recorder.FramesEmitted;

    /// <summary>Whether the recording is paused.</summary>
    public bool IsPaused => _recorder.IsPaused;

    /// <summary>Pauses: silence in the file from now on, and a pause span. Any thread.</summary>
    public void Pause() => _recorder.Pause();

    /// <summary>Resumes after <see cref="Pause"/>. Any thread.</summary>
    public void Resume() => _recorder.Resume();

    /// <summary>The pump's run: completes when stopped, faults when writing fails.</summary>
    public Task Running => _running ?? Task.CompletedTask;

    /// <summary>
    /// Creates the file (directories included, owner-only permissions, empty) and a data key
    /// (stored without waiting for the disk: the vault's writer makes it durable before the
    /// file's first byte), and prepares the headers, held in memory with the audio until
    /// <see cref="Start"/>'s task lets them through. On failure nothing is left behind: the file
    /// is deleted and the key destroyed.
    /// </summary>
    /// <exception cref="IOException">The spool is unwritable or full (or another I/O error).</exception>
    /// <exception cref="UnauthorizedAccessException">The spool is not ours to write.</exception>
    /// <exception cref="OpusUnavailableException">The configured Opus encoder cannot be loaded.</exception>
    internal static CallRecorder Create(
        string recordingId,
        string filePath,
        string campaignId,
        RecordingKeyManager keys,
        SpoolWriter writer,
        StereoOpusEncoderOptions encoderOptions,
        TimeProvider time,
        IReadOnlyDictionary<int, AudioCodecInfo> agentPayloadTypes,
        IReadOnlyDictionary<int, AudioCodecInfo> prospectPayloadTypes,
        Func<Stream, Stream>? fileWrapper = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
        // Unbuffered: every chunk the writer thread takes goes to the kernel in one write, so what the
        // hash counts is in the file.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        Stream spoolFile = new FileStream(filePath, options);
        var file = new Sha256CountingStream(fileWrapper is null ? spoolFile : fileWrapper(spoolFile));
        WriteBehindStream sink = writer.Open(file);
        var held = new HeldBackStream(sink);
        DataKey? key = null;
        EncryptedRecordingWriter? encrypted = null;
        try
        {
            // Stored without an fsync on the call's thread: the vault's writer makes it durable
            // before the file's first byte (held back until the row is saved, seconds later at most).
            key = keys.CreatePendingDataKey();
            Guid keyId = key.Id;
            sink.BeforeFirstWrite = () => keys.MakeDurable(keyId);
            encrypted = new EncryptedRecordingWriter(held, key.Key, key.Id);
            int rate = SampleRateFor(agentPayloadTypes, prospectPayloadTypes);
            var opus = new OpusRecordingWriter(
                encrypted,
                new StereoOpusEncoder(encoderOptions with { InputSampleRate = rate }),
                new RecordingTags(recordingId, campaignId),
                (uint)Random.Shared.Next());
            return new CallRecorder(recordingId, filePath, key.Id, keys.CurrentMasterKeyId, sink, held, encrypted, opus, time, agentPayloadTypes, prospectPayloadTypes, rate);
        }
        catch
        {
            // Nothing reached the writer yet (the headers are held back): its turn ends without
            // touching the file. Close the file under the encrypting writer first so disposing it
            // cannot seal a final chunk.
            _ = sink.CloseAsync(flushToDisk: false);
            file.Dispose();
            DisposeQuietly(encrypted);
            if (key is not null)
            {
                keys.Shred(key.Id, filePath);
            }
            else
            {
                File.Delete(filePath);
            }

            throw;
        }
        finally
        {
            // The encrypting writer keeps its own copy of the key.
            key?.Dispose();
        }
    }

    /// <summary>
    /// The rate a call is recorded at (timeline and encoder input): 8 kHz when every codec
    /// either party may send is narrowband (G.711: nothing above 4 kHz to keep, and half the
    /// samples to place and encode), 16 kHz as soon as one is wideband (G.722).
    /// </summary>
    public static int SampleRateFor(IReadOnlyDictionary<int, AudioCodecInfo> agentPayloadTypes, IReadOnlyDictionary<int, AudioCodecInfo> prospectPayloadTypes)
    {
        ArgumentNullException.ThrowIfNull(agentPayloadTypes);
        ArgumentNullException.ThrowIfNull(prospectPayloadTypes);
        return agentPayloadTypes.Values.Concat(prospectPayloadTypes.Values).All(c => c.SampleRate <= 8000) ? 8000 : 16000;
    }

    /// <summary>The rate this recording runs at (<see cref="SampleRateFor"/>).</summary>
    public int SampleRate => _recorder.SampleRate;

    /// <summary>
    /// Starts the timeline now, on the caller's thread, and the pump (on the scheduler, or on a task of its own). The
    /// file's bytes stay in memory until <paramref name="saved"/> completes (the metadata row is
    /// committed, or failed) or <paramref name="holdLimit"/> passes, whichever comes first; then
    /// they are written.
    /// </summary>
    /// <param name="saved">Completes when the bytes may go to the spool; never faults.</param>
    /// <param name="holdLimit">The longest the bytes are held back.</param>
    /// <param name="onHoldExpired">Called (once) when the limit passed first; for the log.</param>
    /// <returns>When the timeline started (UTC): the recording's start, which the file's audio measures from.</returns>
    /// <param name="scheduler">Steps the pump with the other recordings; null: the pump runs on a task of its own.</param>
    public DateTimeOffset Start(Task saved, TimeSpan holdLimit, Action onHoldExpired, RecorderScheduler? scheduler = null)
    {
        DateTimeOffset startedAt = _time.GetUtcNow();
        _pump.Start();
        _running = scheduler is not null ? scheduler.Run(_pump, _stop.Token) : Task.Run(() => _pump.RunAsync(_stop.Token));
        _ = ReleaseAsync(saved, holdLimit, onHoldExpired);
        return startedAt;
    }

    private async Task ReleaseAsync(Task saved, TimeSpan holdLimit, Action onHoldExpired)
    {
        try
        {
            await saved.WaitAsync(holdLimit, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            onHoldExpired();
        }

        try
        {
            _held.Release();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Kept by the stream: the pump's next write fails with it and the recording stops.
        }
    }

    /// <summary>
    /// Stops the timeline now, waits for the pump, then ends the Ogg stream and seals the final
    /// chunk, and completes once the vault's writer has written the file and flushed it to the
    /// disk (fsync; awaited, no thread waits on it). After a write failure the file is closed as
    /// it is (no final chunk: readers see it as truncated, crash recovery can repair it). Never throws.
    /// </summary>
    public async Task<RecorderSummary> StopAsync()
    {
        DateTimeOffset endedAt = _time.GetUtcNow();

        // The last bytes (the frames up to the end, the final chunk) never wait for the writer's
        // room: bounded, and the thread that stops the pump may be the thread pool's.
        _sink.StopWaitingForRoom();

        // The file ends now, however long the pump's task waits for a thread.
        _pump.EndAt(_time.GetTimestamp());
        await _stop.CancelAsync().ConfigureAwait(false);
        Exception? failure = null;
        try
        {
            await Running.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // The pump has stopped: the taps' blocks go back once no relay thread copies into them,
        // the timeline's rings at once.
        AgentTap.Dispose();
        ProspectTap.Dispose();
        _recorder.Release();

        if (failure is null)
        {
            try
            {
                // Stopped before the row was saved (a very short recording): the bytes go now.
                _held.Release();
                _opus.Complete();
                _encrypted.Complete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException || ReferenceEquals(e, _sink.Failure))
            {
                failure = e;
            }
        }

        try
        {
            // The writer's thread writes what is queued, then fsyncs (a normal end) and hands the file back.
            await _sink.CloseAsync(flushToDisk: failure is null).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The writer's error (a full disk at the last chunk, or the fsync): the recording failed writing.
            failure ??= e;
        }

        if (failure is not null)
        {
            // Disk full: cut what a failed write left half-done, and close the file under the
            // encrypting writer so disposing it cannot try to seal a final chunk.
            _file.TruncateToWritten();
            DisposeQuietly(_file);
        }

        _opus.Dispose();
        DisposeQuietly(_encrypted);
        DisposeQuietly(_file);
        _stop.Dispose();
        // A write failure leaves an incomplete file; the failure itself goes with the summary (the call side stops with WriteFailed).
        RecordingStatus status = failure is not null || _recorder.IsIncomplete ? RecordingStatus.Incomplete : RecordingStatus.Complete;
        return new RecorderSummary(endedAt, _recorder.Duration, status, _recorder.DroppedPackets, _recorder.PauseSpans, _file.BytesWritten, _file.Sha256Hex(), failure, _pump.Timing);
    }

    private static void DisposeQuietly(Stream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // Already failed or closed: the file stays as it was.
        }
    }
}
