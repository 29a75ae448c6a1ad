using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Extract;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Extracts;

/// <summary>
/// Makes anonymised training extracts, for the CLI and the web console alike: the right to
/// extract is decided by the authorisation service with the purpose given and audited (through
/// <see cref="RecordingAccess"/>: the one audited way to a recording's audio); the recording is
/// decrypted in memory, its agent channel alone encoded again (<see cref="AgentChannelExtractor"/>),
/// encrypted under a new key into the vault's <c>extracts</c> folder, and its row stored with the
/// campaign's extract retention. No plain file is ever written; the extract names neither the call
/// nor the recording nor the number.
/// </summary>
/// <remarks>Thread-safe; holds no state of its own.</remarks>
public sealed class TrainingExtracts
{
    /// <summary>The vault's subfolder of extracts.</summary>
    public const string Folder = "extracts";

    private readonly IMetadataStore _store;
    private readonly RecordingVault _vault;
    private readonly AccessGuard _guard;
    private readonly Func<string, string?> _teamOfAgent;
    private readonly Func<string, CampaignAccess?> _campaign;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The recordings, the extracts' rows and the audit log.</param>
    /// <param name="vault">Where recordings are read and extracts written.</param>
    /// <param name="guard">The authorisation service (denials audited).</param>
    /// <param name="teamOfAgent">An agent's team (supervisors' scope).</param>
    /// <param name="campaign">A campaign's access rules (extract retention and sample size); null for one no longer configured.</param>
    /// <param name="time">The clock.</param>
    public TrainingExtracts(IMetadataStore store, RecordingVault vault, AccessGuard guard, Func<string, string?> teamOfAgent, Func<string, CampaignAccess?> campaign, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(teamOfAgent);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _vault = vault;
        _guard = guard;
        _teamOfAgent = teamOfAgent;
        _campaign = campaign;
        _time = time;
    }

    /// <summary>Makes the extract of one recording; null when there is no such recording.</summary>
    /// <exception cref="AccessDeniedException">Refused (audited): role, scope, the campaign's extract roles, or the purpose.</exception>
    /// <exception cref="InvalidOperationException">The recording's audio is gone (erased) or it was refused.</exception>
    public async Task<TrainingExtract?> MakeAsync(Principal principal, Guid recordingId, AccessPurpose purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(purpose);
        var access = new RecordingAccess(_store, _store, _time, _guard, _teamOfAgent);
        RecordingMetadata? recording = await access.OpenForListeningAsync(principal, recordingId, AccessAction.Extract, purpose, null, "anonymised training extract", cancellationToken)
            .ConfigureAwait(false);
        if (recording is null)
        {
            return null;
        }

        if (!recording.IsPlayable || recording.FilePath is not { } source)
        {
            throw new InvalidOperationException($"recording {recording.Id:N} has no audio left (erased or refused)");
        }

        byte[] plain;
        await using (EncryptedRecordingReader reader = _vault.OpenRecording(source))
        using (var buffer = new MemoryStream())
        {
            await reader.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            plain = buffer.ToArray();
        }

        Guid id = Guid.CreateVersion7();
        string folder = Directory.CreateDirectory(Path.Combine(_vault.SpoolDirectory, Folder)).FullName;
        string path = Path.Combine(folder, id.ToString("N") + RecordingVault.FileSuffix);
        TimeSpan duration;
        Guid keyId;
        try
        {
            using DataKey key = _vault.Keys.CreateDataKey();
            keyId = key.Id;
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await using var sealedFile = new EncryptedRecordingWriter(file, key.Key, key.Id);
            duration = AgentChannelExtractor.Extract(plain, sealedFile, new RecordingTags(id.ToString("N"), recording.CampaignId));
            sealedFile.Complete();
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            // The decrypted recording lived in memory only; leave nothing of it behind.
            Array.Clear(plain);
        }

        DateTimeOffset now = _time.GetUtcNow();
        int days = _campaign(recording.CampaignId)?.ExtractRetentionDays ?? CampaignAccess.DefaultExtractRetentionDays;
        var extract = new TrainingExtract
        {
            Id = id,
            CampaignId = recording.CampaignId,
            AgentId = recording.AgentId,
            CreatedAt = now,
            CreatedBy = principal.Name,
            RetentionUntil = now.AddDays(days),
            KeyId = keyId,
            FilePath = path,
            Duration = duration,
        };
        await _store.AddExtractAsync(extract, cancellationToken).ConfigureAwait(false);
        return extract;
    }

    /// <summary>
    /// The sample rule: of an agent's playable recordings started in [from, before), per campaign,
    /// the campaign's <see cref="CampaignAccess.ExtractSamplePerAgent"/>, spread evenly over the
    /// period's recordings (the first of each equal share), so that a sample is neither the
    /// first calls of the day nor the caller's pick.
    /// </summary>
    public async Task<IReadOnlyList<RecordingMetadata>> ChooseSampleAsync(string agent, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        var found = new List<RecordingMetadata>();
        RecordingQuery? page = new() { AgentId = agent, StartedFrom = from, StartedBefore = before, IncludeErased = false, PageSize = RecordingQuery.MaxPageSize };
        while (page is not null)
        {
            RecordingPage result = await _store.SearchRecordingsAsync(page, cancellationToken).ConfigureAwait(false);
            found.AddRange(result.Items.Where(r => r.IsPlayable));
            page = result.NextQuery(page);
        }

        return found
            .GroupBy(r => r.CampaignId, StringComparer.Ordinal)
            .SelectMany(campaign => Spread(
                campaign.OrderBy(r => r.StartedAt).ThenBy(r => r.Id).ToList(),
                _campaign(campaign.Key)?.ExtractSamplePerAgent ?? CampaignAccess.DefaultExtractSamplePerAgent))
            .ToList();
    }

    /// <summary><paramref name="count"/> items spread evenly over <paramref name="items"/> (all of them when there are fewer).</summary>
    public static IEnumerable<T> Spread<T>(IReadOnlyList<T> items, int count)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return items.Count <= count
            ? items
            : Enumerable.Range(0, count).Select(i => items[(int)((long)i * items.Count / count)]);
    }
}
