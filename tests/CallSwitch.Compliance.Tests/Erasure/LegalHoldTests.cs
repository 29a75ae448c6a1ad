using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Compliance.Tests.Storage;

namespace CallSwitch.Compliance.Tests.Erasure;

/// <summary>Legal holds of every scope keep what they cover from erasure, and are audited.</summary>
public sealed class LegalHoldTests : IDisposable
{
    private const string Held = "+33611111111";
    private const string Free = "+33622222222";
    private readonly TempDataDirectory _directory = new();
    private readonly FakeVault _vault = new();
    private readonly SqliteMetadataStore _store;

    public LegalHoldTests()
    {
        _store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, NumberDigest = _vault.Digest });
    }

    public void Dispose()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _directory.Dispose();
    }

    [Fact]
    public async Task EachScopeHoldsWhatItCoversAndNothingElse()
    {
        NewRecording byRecording = await StoreSamples.AddAsync(_store, Free);
        NewRecording byCall = await StoreSamples.AddAsync(_store, Free);
        NewRecording byCampaign = await StoreSamples.AddAsync(_store, Free, campaign: "held-campaign");
        NewRecording byPeriod = await StoreSamples.AddAsync(_store, Free, startedAt: StoreSamples.T0.AddDays(-40));
        NewRecording free = await StoreSamples.AddAsync(_store, Free);
        await Place(new NewLegalHold { Scope = LegalHoldScope.Recording, RecordingId = byRecording.Id, Reason = "r", RequestedBy = "counsel", PlacedBy = "dpo" });
        await Place(new NewLegalHold { Scope = LegalHoldScope.Call, CallId = byCall.CallId, Reason = "r", RequestedBy = "counsel", PlacedBy = "dpo" });
        await Place(new NewLegalHold { Scope = LegalHoldScope.Campaign, CampaignId = "held-campaign", Reason = "r", RequestedBy = "counsel", PlacedBy = "dpo" });
        await Place(new NewLegalHold
        {
            Scope = LegalHoldScope.Period, From = StoreSamples.T0.AddDays(-41), Until = StoreSamples.T0.AddDays(-39), Reason = "r", RequestedBy = "cnil", PlacedBy = "dpo",
        });

        foreach (NewRecording held in new[] { byRecording, byCall, byCampaign, byPeriod })
        {
            Assert.Equal(ErasureOutcome.OnLegalHold, await _store.MarkErasingAsync(held.Id, StoreSamples.T0.AddDays(200)));
        }

        Assert.Null(await _store.MarkErasingAsync(free.Id, StoreSamples.T0.AddDays(200)));
    }

    [Fact]
    public async Task ANumberHoldKeepsOnlyTheDigestAndCatchesFutureRecordingsUntilReleased()
    {
        NewRecording before = await StoreSamples.AddAsync(_store, Held);
        LegalHold hold = await Place(new NewLegalHold
        {
            Scope = LegalHoldScope.Number, NumberDigest = _vault.Digest(Held), Reason = "contested appointment", RequestedBy = "customer service", PlacedBy = "dpo",
        });
        NewRecording after = await StoreSamples.AddAsync(_store, Held);
        NewRecording other = await StoreSamples.AddAsync(_store, Free);

        DateTimeOffset late = StoreSamples.T0.AddDays(200);
        Assert.Equal(ErasureOutcome.OnLegalHold, await _store.MarkErasingAsync(before.Id, late));
        Assert.Equal(ErasureOutcome.OnLegalHold, await _store.MarkErasingAsync(after.Id, late));
        Assert.Null(await _store.MarkErasingAsync(other.Id, late));
        IReadOnlyList<AuditEntry> audit = await _store.ReadAuditAsync(0, 100);
        Assert.DoesNotContain(audit, e => (e.Event.Detail ?? string.Empty).Contains(Held, StringComparison.Ordinal));

        Assert.True(await _store.ReleaseHoldAsync(hold.Id, "dpo", "settled"));
        Assert.False(await _store.ReleaseHoldAsync(hold.Id, "dpo", "settled"));
        Assert.Null(await _store.MarkErasingAsync(after.Id, late));
        Assert.Empty(await _store.ListHoldsAsync(includeReleased: false));
        LegalHold released = Assert.Single(await _store.ListHoldsAsync(includeReleased: true));
        Assert.Equal("dpo", released.ReleasedBy);
    }

    [Fact]
    public async Task AHoldLapsesAtItsExpiryAndTheExpiryIsAudited()
    {
        NewRecording recording = await StoreSamples.AddAsync(_store, Free);
        DateTimeOffset expires = StoreSamples.T0.AddDays(100);
        LegalHold hold = await Place(new NewLegalHold
        {
            Scope = LegalHoldScope.Recording, RecordingId = recording.Id, Reason = "regulator", RequestedBy = "cnil", PlacedBy = "dpo", ExpiresAt = expires,
        });

        Assert.Equal(ErasureOutcome.OnLegalHold, await _store.MarkErasingAsync(recording.Id, expires.AddSeconds(-1)));
        Assert.Equal(0, await _store.ExpireHoldsAsync(expires.AddSeconds(-1)));
        Assert.Equal(1, await _store.ExpireHoldsAsync(expires));
        Assert.Equal(0, await _store.ExpireHoldsAsync(expires.AddDays(1)));
        Assert.Null(await _store.MarkErasingAsync(recording.Id, expires));

        IReadOnlyList<AuditEntry> audit = await _store.ReadAuditForRecordingAsync(recording.Id);
        Assert.Equal(
            [AuditAction.LegalHoldPlaced, AuditAction.LegalHoldExpired],
            audit.Select(e => e.Event.Action));
        Assert.Equal("retention", audit[1].Event.Actor);
        Assert.Contains($"hold {hold.Id:D} on recording {recording.Id:D}, requested by cnil", audit[1].Event.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHoldWithoutItsTargetOrWithTwoIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PlaceHoldAsync(
            new NewLegalHold { Scope = LegalHoldScope.Call, Reason = "r", RequestedBy = "c", PlacedBy = "d" }));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PlaceHoldAsync(
            new NewLegalHold { Scope = LegalHoldScope.Campaign, CampaignId = "x", CallId = "y", Reason = "r", RequestedBy = "c", PlacedBy = "d" }));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PlaceHoldAsync(
            new NewLegalHold { Scope = LegalHoldScope.Period, From = StoreSamples.T0, Until = StoreSamples.T0, Reason = "r", RequestedBy = "c", PlacedBy = "d" }));
        Assert.Empty(await _store.ListHoldsAsync(includeReleased: true));
    }

    private Task<LegalHold> Place(NewLegalHold hold) => _store.PlaceHoldAsync(hold);
}
