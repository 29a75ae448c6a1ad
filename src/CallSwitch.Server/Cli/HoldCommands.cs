using System.Globalization;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch holds add|list|release</c>: legal holds on a recording, a call, a phone number
/// (kept as its keyed hash; future recordings of the number are held too), a campaign or a date
/// range. Placing and releasing are audited under the OS user's name.
/// </summary>
internal static class HoldCommands
{
    /// <summary>Places a hold on the one target given.</summary>
    public static async Task<int> AddAsync(HoldArguments arguments, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        int targets = new object?[] { arguments.Recording, arguments.Call, arguments.Number, arguments.Campaign, arguments.From ?? arguments.To }.Count(t => t is not null);
        if (targets != 1)
        {
            error.WriteLine("holds add needs exactly one of --recording, --call, --number, --campaign or --from/--to");
            return 2;
        }

        var hold = new NewLegalHold
        {
            Scope = LegalHoldScope.Recording,
            Reason = arguments.Reason,
            RequestedBy = arguments.RequestedBy,
            PlacedBy = Environment.UserName,
        };
        if (arguments.Expires is { } expiresText)
        {
            if (Instant(expiresText) is not { } expires)
            {
                error.WriteLine($"--expires: not a date: {expiresText} (2027-01-01 or 2027-01-01T00:00:00Z)");
                return 2;
            }

            hold = hold with { ExpiresAt = expires };
        }

        if (arguments.Recording is { } recordingText)
        {
            if (!Guid.TryParse(recordingText, out Guid recordingId))
            {
                error.WriteLine($"not a recording id: {recordingText}");
                return 2;
            }

            hold = hold with { RecordingId = recordingId };
        }
        else if (arguments.Call is { } call)
        {
            hold = hold with { Scope = LegalHoldScope.Call, CallId = call };
        }
        else if (arguments.Campaign is { } campaign)
        {
            hold = hold with { Scope = LegalHoldScope.Campaign, CampaignId = campaign };
        }
        else if (arguments.Number is not null)
        {
            // Read below, once the configuration gives the country.
            hold = hold with { Scope = LegalHoldScope.Number };
        }
        else
        {
            DateTimeOffset? from = arguments.From is null ? null : Instant(arguments.From);

            // A bare date as --to includes that whole day.
            DateTimeOffset? to = arguments.To is null ? null
                : Instant(arguments.To) is { } end && DateOnly.TryParseExact(arguments.To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? end.AddDays(1)
                : Instant(arguments.To);
            if (from is null || to is null || from >= to)
            {
                error.WriteLine("a hold on a date range needs --from and --to, dates with from before to (2026-03-01 or 2026-03-01T14:00:00Z)");
                return 2;
            }

            hold = hold with { Scope = LegalHoldScope.Period, From = from, Until = to };
        }

        if (StoreCommand.LoadConfig(arguments.Config, load, error) is not { } config)
        {
            return 2;
        }

        if (arguments.Number is { } number)
        {
            if (!new PhoneNumberNormalizer(config.Country).TryNormalize(number, out string? e164, out string? reason))
            {
                error.WriteLine($"not a phone number: {number} ({reason})");
                return 2;
            }

            if (!RecordingVault.HasMasterKey(config.Paths.Data, out string where))
            {
                error.WriteLine($"a hold on a number needs the master key: {where}");
                return 1;
            }

            using RecordingVault vault = RecordingVault.OpenExisting(config.Paths.Data, config.Paths.Spool, Serilog.Core.Logger.None);
            hold = hold with { NumberDigest = vault.Digest(e164!) };
        }

        if (!StoreCommand.HasStore(config, error))
        {
            return 1;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        LegalHold placed = await store.PlaceHoldAsync(hold, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"placed hold {placed.Id:D} on {hold.DescribeTarget()}");
        return 0;
    }

    /// <summary>Lists the active holds (every hold with <paramref name="all"/>).</summary>
    public static async Task<int> ListAsync(string? configPath, bool all, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (StoreCommand.LoadWithStore(load, configPath, error, out int exitCode) is not { } config)
        {
            return exitCode;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        IReadOnlyList<LegalHold> holds = await store.ListHoldsAsync(all, cancellationToken).ConfigureAwait(false);
        foreach (LegalHold hold in holds)
        {
            string line = $"{hold.Id:D}  {hold.Hold.DescribeTarget()}  reason: {hold.Hold.Reason}  requested by {hold.Hold.RequestedBy}, placed by {hold.Hold.PlacedBy} at {Iso(hold.PlacedAt)}";
            if (hold.Hold.ExpiresAt is { } expires)
            {
                line += $"  expires {Iso(expires)}";
            }

            if (hold.ReleasedAt is { } released)
            {
                line += $"  released {Iso(released)} by {hold.ReleasedBy} ({hold.ReleaseReason})";
            }

            output.WriteLine(line);
        }

        output.WriteLine($"{holds.Count} hold(s)");
        return 0;
    }

    /// <summary>Releases an active hold.</summary>
    public static async Task<int> ReleaseAsync(string? configPath, string idText, string reason, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(idText, out Guid id))
        {
            error.WriteLine($"not a hold id: {idText}");
            return 2;
        }

        if (StoreCommand.LoadWithStore(load, configPath, error, out int exitCode) is not { } config)
        {
            return exitCode;
        }

        await using SqliteMetadataStore store = StoreCommand.OpenStore(config);
        if (!await store.ReleaseHoldAsync(id, Environment.UserName, reason, cancellationToken).ConfigureAwait(false))
        {
            error.WriteLine($"no active hold {idText}");
            return 1;
        }

        output.WriteLine($"released hold {id:D}");
        return 0;
    }

    private static DateTimeOffset? Instant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset instant) ? instant : null;

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
