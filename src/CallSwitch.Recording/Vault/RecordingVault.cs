using System.Globalization;
using System.Security.Cryptography;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Media.Codecs;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Opus;
using Serilog;

namespace CallSwitch.Recording.Vault;

/// <summary>
/// The recordings' vault: the master key (<see cref="MasterKeySource.EnvironmentVariable"/> or
/// <c>{data}/master.key</c>), the wrapped data keys (<c>{data}/keys</c>) and the spool
/// (<c>{spool}/yyyy/MM/dd/{id}.ogg.enc</c>). It creates the recorders of calls, opens recordings
/// for reading (decrypted), shreds them, repairs what a crash left and sweeps the spool at start.
/// The switch, the command line and the retention sidecar open it the same way
/// (<see cref="Open"/>, <see cref="OpenExisting"/>, from the configuration's two paths).
/// </summary>
/// <remarks>
/// The vault decides neither whether a call is recorded nor when a recording is deleted: the
/// rules (CallSwitch.Compliance.Rules) do, and their callers ask the vault to act. File names are
/// time-ordered ids, never phone numbers. Thread-safe.
/// </remarks>
public sealed class RecordingVault : IRecordingShredder, INumberDigester, IDisposable
{
    /// <summary>The master key file in the data directory, used (and created by <see cref="Open"/>) when the environment variable is unset.</summary>
    public const string MasterKeyFileName = "master.key";

    /// <summary>The folder of the wrapped data keys in the data directory.</summary>
    public const string KeyDirectoryName = "keys";

    /// <summary>The spool files' suffix: <c>{recordingId}.ogg.enc</c>.</summary>
    public const string FileSuffix = ".ogg.enc";

    /// <summary>The HKDF purpose the number-digest key was first derived with (tombstones, number holds).</summary>
    private const string NumberDigestPurpose = "callswitch/number-digest/v1";

    /// <summary>
    /// The number-digest key's id in the key store (<c>{data}/keys</c>): a fixed id no recording's
    /// random data key can take. Wrapped by the master key like a data key, so that a master-key
    /// rotation rewraps it and digests made before the rotation still match after it.
    /// </summary>
    public static readonly Guid NumberDigestKeyId = new("6e756d62-6572-4469-6765-737400000001");

    private readonly MasterKey? _ownedMasterKey;
    private readonly Lazy<byte[]> _numberDigestKey;

    /// <summary>A vault over <paramref name="spoolDirectory"/> whose keys are <paramref name="keys"/> (tests give an in-memory key store).</summary>
    /// <param name="spoolDirectory">Where recordings go (created as needed).</param>
    /// <param name="keys">Creates, unwraps and shreds each recording's data key.</param>
    /// <param name="encoder">Opus settings; the native libopus encoder by default.</param>
    public RecordingVault(string spoolDirectory, RecordingKeyManager keys, StereoOpusEncoderOptions? encoder = null)
        : this(spoolDirectory, keys, encoder, ownedMasterKey: null)
    {
    }

    private RecordingVault(string spoolDirectory, RecordingKeyManager keys, StereoOpusEncoderOptions? encoder, MasterKey? ownedMasterKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolDirectory);
        ArgumentNullException.ThrowIfNull(keys);
        SpoolDirectory = spoolDirectory;
        Keys = keys;
        Encoder = encoder ?? new StereoOpusEncoderOptions();
        Encoder.Validate();
        _ownedMasterKey = ownedMasterKey;
        _numberDigestKey = new Lazy<byte[]>(() => keys.GetOrCreateStoredKey(NumberDigestKeyId, NumberDigestPurpose));
    }

    /// <summary>The spool directory.</summary>
    public string SpoolDirectory { get; }

    /// <summary>The key manager (data keys wrapped by the master key).</summary>
    public RecordingKeyManager Keys { get; }

    /// <summary>The encoder settings; the input rate is chosen per call (<see cref="CallRecorder.SampleRateFor"/>).</summary>
    public StereoOpusEncoderOptions Encoder { get; }

    /// <summary>
    /// Tests only: wraps each new recording's file (already created) in a stream of the test's,
    /// to make the disk stall or fail under the recorder. Null: the file as it is.
    /// </summary>
    internal Func<Stream, Stream>? FileWrapper { get; init; }

    /// <summary>
    /// Writes every recording's file of this vault on a thread of its own (started with the first
    /// recording, ended with the last), so the recorder crew never waits on the spool's disk.
    /// </summary>
    internal SpoolWriter Writer { get; init; } = new();

    /// <summary>
    /// Opens the vault of a switch: the master key from the environment variable or
    /// <c>{data}/master.key</c>, created (random, owner-only) on first start; the data keys in
    /// <c>{data}/keys</c>; the spool, created now. A spool that cannot be created is logged, not
    /// thrown: calls still go through, and each recording that cannot be written is logged as it fails.
    /// </summary>
    /// <exception cref="FormatException">The variable or the key file does not hold a key.</exception>
    /// <exception cref="IOException">The data directory cannot be written.</exception>
    public static RecordingVault Open(string dataDirectory, string spoolDirectory, ILogger log, StereoOpusEncoderOptions? encoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(log);
        RecordingVault vault = FromDataDirectory(dataDirectory, spoolDirectory, log, encoder);
        try
        {
            Directory.CreateDirectory(spoolDirectory);
            log.Information("Recording to {Spool}, master key {MasterKeyId}", spoolDirectory, vault.Keys.CurrentMasterKeyId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error("The recording spool {Spool} cannot be created: {Error}", spoolDirectory, e.Message);
        }

        return vault;
    }

    /// <summary>
    /// Opens the vault of recordings already made (export, retention): as <see cref="Open"/>, but
    /// never creates a master key (a new key would read nothing) nor the spool.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no master key (<see cref="HasMasterKey"/> says where it was looked for).</exception>
    /// <exception cref="FormatException">The variable or the key file does not hold a key.</exception>
    public static RecordingVault OpenExisting(string dataDirectory, string spoolDirectory, ILogger log)
    {
        if (!HasMasterKey(dataDirectory, out string where))
        {
            throw new FileNotFoundException("No recording master key: " + where, MasterKeyFile(dataDirectory));
        }

        return FromDataDirectory(dataDirectory, spoolDirectory, log, encoder: null);
    }

    /// <summary>Whether a master key is there to open the vault with (the variable is set, or the key file exists).</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="where">Where to put one, for a message: "set CALLSWITCH_MASTER_KEY or provide {data}/master.key".</param>
    public static bool HasMasterKey(string dataDirectory, out string where)
    {
        string keyFile = MasterKeyFile(dataDirectory);
        where = $"set {MasterKeySource.EnvironmentVariable} or provide {keyFile}";
        return !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(MasterKeySource.EnvironmentVariable)) || File.Exists(keyFile);
    }

    /// <summary>Where a recording started at <paramref name="startedAt"/> is written: <c>{spool}/yyyy/MM/dd/{recordingId}.ogg.enc</c> (UTC date).</summary>
    public string PathFor(DateTimeOffset startedAt, string recordingId)
    {
        DateTime utc = startedAt.UtcDateTime;
        return Path.Combine(
            SpoolDirectory,
            utc.ToString("yyyy", CultureInfo.InvariantCulture),
            utc.ToString("MM", CultureInfo.InvariantCulture),
            utc.ToString("dd", CultureInfo.InvariantCulture),
            recordingId + FileSuffix);
    }

    /// <summary>
    /// Creates the recorder of one recording: its file at <see cref="PathFor"/> (empty, owner-only)
    /// and a fresh data key; see <see cref="CallRecorder"/>. On failure nothing is left behind.
    /// </summary>
    /// <param name="recordingId">The recording's id (file name and Ogg tag).</param>
    /// <param name="createdAt">Now: the date of the spool folder.</param>
    /// <param name="campaignId">The campaign, for the Ogg tag.</param>
    /// <param name="time">The clock of the recorder's timeline.</param>
    /// <param name="agentPayloadTypes">The codecs the left channel may carry, by payload type.</param>
    /// <param name="prospectPayloadTypes">The codecs the right channel may carry, by payload type.</param>
    /// <exception cref="IOException">The spool is unwritable or full (or another I/O error).</exception>
    /// <exception cref="UnauthorizedAccessException">The spool is not ours to write.</exception>
    /// <exception cref="OpusUnavailableException">The configured Opus encoder cannot be loaded.</exception>
    public CallRecorder CreateRecorder(
        string recordingId,
        DateTimeOffset createdAt,
        string campaignId,
        TimeProvider time,
        IReadOnlyDictionary<int, AudioCodecInfo> agentPayloadTypes,
        IReadOnlyDictionary<int, AudioCodecInfo> prospectPayloadTypes) =>
        CallRecorder.Create(recordingId, PathFor(createdAt, recordingId), campaignId, Keys, Writer, Encoder, time, agentPayloadTypes, prospectPayloadTypes, FileWrapper);

    /// <summary>Opens a recording for reading: the decrypted Ogg Opus stream (the caller disposes it, which closes the file).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="KeyNotFoundException">Its data key is gone (shredded).</exception>
    /// <exception cref="RecordingIntegrityException">The file or its wrapped key fails authentication.</exception>
    public EncryptedRecordingReader OpenRecording(string filePath)
    {
        FileStream input = File.OpenRead(filePath);
        try
        {
            return EncryptedRecordingReader.Open(input, DataKeyBytes);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>Crypto-shreds a recording: destroys its data key, then deletes its file if a path is given. False when the key was already gone.</summary>
    /// <exception cref="IOException">The key or the file cannot be deleted.</exception>
    public bool Shred(Guid keyId, string? filePath) => Keys.Shred(keyId, filePath);

    /// <inheritdoc />
    public bool DestroyKey(Guid keyId) => Keys.Shred(keyId);

    /// <inheritdoc />
    public bool DeleteFile(string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        bool existed = File.Exists(filePath);
        if (existed)
        {
            File.Delete(filePath);
        }

        // Flushed even when already gone: a crash may have come between the delete and the flush.
        if (Path.GetDirectoryName(filePath) is { Length: > 0 } folder && Directory.Exists(folder))
        {
            DirectorySync.Flush(folder);
        }

        return existed;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The key is the vault's stored number-digest key (<see cref="NumberDigestKeyId"/>), not the
    /// master key itself: a master-key rotation rewraps it with the data keys, and digests stay the same.
    /// </remarks>
    public string Digest(string e164Number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(e164Number);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_numberDigestKey.Value, System.Text.Encoding.UTF8.GetBytes(e164Number)));
    }

    /// <summary>
    /// After a crash: repairs every recording <paramref name="store"/> still has in progress into a
    /// valid file with what reached the disk, and completes its row as incomplete (the row keeps its
    /// retention deadline). Each repair is logged; the caller logs the summary.
    /// </summary>
    /// <returns>How many recordings were left in progress, and how many of them were completed (the others stay in progress until the next start).</returns>
    public Task<(int Left, int Completed)> RecoverAsync(IRecordingStore store, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        return SpoolRecovery.RecoverAsync(store, DataKeyBytes, log, cancellationToken);
    }

    /// <summary>
    /// Re-seals the recordings stored incomplete after a write failure (a full disk: authenticated
    /// but truncated files) into playable ones, as a crash repair does; rows stay incomplete.
    /// Idempotent. Each re-seal is logged, each recording looked at is audited (who, which, the
    /// outcome: its audio is decrypted to repair it); the caller logs the summary.
    /// </summary>
    /// <returns>How many incomplete recordings were looked at, and how many were re-sealed.</returns>
    /// <exception cref="MetadataStoreException">An audit entry cannot be written: the repair stops there.</exception>
    public Task<(int Incomplete, int Resealed)> ResealIncompleteAsync(IRecordingStore store, RepairAudit audit, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(log);
        return SpoolRecovery.ResealIncompleteAsync(store, DataKeyBytes, audit, log, cancellationToken);
    }

    /// <summary>
    /// Sweeps the spool after <see cref="RecoverAsync"/>: deletes the temporary files of repairs a
    /// crash interrupted, and the empty recording files that have no row (a crash between creating
    /// the file and committing its row, before which no byte is written). A file with bytes is never deleted.
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    public Task<int> SweepSpoolAsync(IRecordingStore store, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        return SpoolRecovery.SweepAsync(store, SpoolDirectory, log, cancellationToken);
    }

    /// <summary>Clears the master key this vault loaded (one given through <see cref="Keys"/> stays its owner's) and the number digest key.</summary>
    public void Dispose()
    {
        if (_numberDigestKey.IsValueCreated)
        {
            CryptographicOperations.ZeroMemory(_numberDigestKey.Value);
        }

        _ownedMasterKey?.Dispose();
    }

    private static string MasterKeyFile(string dataDirectory) => Path.Combine(dataDirectory, MasterKeyFileName);

    /// <summary>The one place the data directory's layout is read: the master key, then the key store beside it.</summary>
    private static RecordingVault FromDataDirectory(string dataDirectory, string spoolDirectory, ILogger log, StereoOpusEncoderOptions? encoder)
    {
        MasterKey master = MasterKeySource.Load(Environment.GetEnvironmentVariable(MasterKeySource.EnvironmentVariable), MasterKeyFile(dataDirectory), log);
        try
        {
            var keys = new RecordingKeyManager(new FileKeyStore(Path.Combine(dataDirectory, KeyDirectoryName)), master);
            return new RecordingVault(spoolDirectory, keys, encoder, master);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    private byte[] DataKeyBytes(Guid keyId)
    {
        using DataKey key = Keys.GetDataKey(keyId);
        return key.Key.ToArray();
    }
}
