using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Kpi;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Tests.Storage;

namespace CallSwitch.Compliance.Tests.Requests;

public sealed class SubjectRequestServiceTests : IAsyncLifetime
{
    private const string Number = "+33612345678";
    private readonly RequestFixture _f = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task A_request_takes_the_number_as_written_and_is_due_thirty_days_after_it_was_received_audited_without_the_number()
    {
        await _f.RecordAsync(Number);
        DateTimeOffset received = _f.Time.GetUtcNow().AddDays(-3);

        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, "06 12 34 56 78", "letter 2026-41", received, null);

        Assert.Equal(Number, request.Number);
        Assert.Equal(received.AddDays(30), request.DueAt);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal("dana", request.OpenedBy);
        Assert.Equal("+*********78", request.NumberMasked);
        Assert.Equal("DSR-" + request.Id, request.Code);
        AuditEntry opened = Assert.Single(await _f.Store.ReadAuditForRequestAsync(request.Id));
        Assert.Equal(AuditAction.RequestOpened, opened.Event.Action);
        Assert.Equal("dana", opened.Event.Actor);
        Assert.Equal($"data-subject request {request.Code}", opened.Event.Purpose);
        Assert.DoesNotContain("612345678", opened.Event.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("06 12 34")]
    [InlineData("not a number")]
    [InlineData("")]
    public async Task An_unparseable_number_is_refused_and_nothing_is_stored(string written)
    {
        await _f.RecordAsync(Number);
        long audit = (await _f.Store.ReadAuditAsync(0, 1000)).Count;

        var e = await Assert.ThrowsAsync<RequestException>(() => _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Erasure, written, null, null, null));

        Assert.StartsWith("not a phone number", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _f.Store.ListRequestsAsync(null, null));
        Assert.Equal(audit, (await _f.Store.ReadAuditAsync(0, 1000)).Count);
    }

    [Theory]
    [InlineData(RequestKind.Access)]
    [InlineData(RequestKind.Erasure)]
    [InlineData(RequestKind.Restriction)]
    public async Task A_request_on_a_number_with_no_data_is_refused_but_an_objection_is_taken(RequestKind kind)
    {
        await _f.RecordAsync(Number);

        var e = await Assert.ThrowsAsync<RequestException>(() => _f.Service.OpenAsync(RequestFixture.Dpo, kind, "+33 6 98 76 54 01", null, null, null));

        Assert.Contains("no call nor recording of +*********01", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _f.Store.ListRequestsAsync(null, null));
        SubjectRequest objection = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Objection, "+33 6 98 76 54 01", null, null, null);
        Assert.Equal(RequestKind.Objection, objection.Kind);
    }

    [Fact]
    public async Task Only_a_role_that_handles_requests_may_and_a_refusal_is_audited()
    {
        await _f.RecordAsync(Number);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _f.Service.OpenAsync(RequestFixture.Quality, RequestKind.Access, Number, null, null, null));

        Assert.Empty(await _f.Store.ListRequestsAsync(null, null));
        AuditEntry denied = (await _f.Store.ReadAuditAsync(0, 1000))[^1];
        Assert.Equal(AuditAction.AccessDenied, denied.Event.Action);
        Assert.Equal("quentin", denied.Event.Actor);
    }

    [Fact]
    public async Task The_list_filters_by_status_and_shows_the_overdue_ones()
    {
        await _f.RecordAsync(Number);
        DateTimeOffset now = _f.Time.GetUtcNow();
        SubjectRequest late = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, now.AddDays(-31), null);
        SubjectRequest fresh = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Erasure, Number, null, now.AddDays(-1), null);
        SubjectRequest rejected = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Restriction, Number, null, now.AddDays(-40), null);
        await _f.Service.RejectAsync(RequestFixture.Dpo, rejected.Id, "identity not proven");

        Assert.Equal([late.Id], (await _f.Service.ListAsync(RequestFixture.Dpo, null, overdue: true)).Select(r => r.Id));
        Assert.Equal([late.Id, fresh.Id], (await _f.Service.ListAsync(RequestFixture.Dpo, RequestStatus.Open, overdue: false)).Select(r => r.Id));
        Assert.Equal([rejected.Id], (await _f.Service.ListAsync(RequestFixture.Dpo, RequestStatus.Rejected, overdue: false)).Select(r => r.Id));
        Assert.True(late.IsOverdue(now));
        Assert.False(fresh.IsOverdue(now));
    }

    [Fact]
    public async Task A_rejection_keeps_its_reason_forgets_the_number_and_cannot_be_answered_again()
    {
        await _f.RecordAsync(Number);
        SubjectRequest request = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Erasure, Number, null, null, null);

        SubjectRequest rejected = await _f.Service.RejectAsync(RequestFixture.Dpo, request.Id, "identity not proven");

        Assert.Equal(RequestStatus.Rejected, rejected.Status);
        Assert.Equal("identity not proven", rejected.Outcome);
        Assert.Null(rejected.Number);
        var again = await Assert.ThrowsAsync<RequestException>(() => _f.Service.FulfilAsync(RequestFixture.Dpo, request.Id, null));
        Assert.Contains("already rejected", again.Message, StringComparison.Ordinal);
        var (_, steps) = await _f.Service.ShowAsync(RequestFixture.Dpo, request.Id);
        Assert.Equal([AuditAction.RequestOpened, AuditAction.RequestRejected], steps.Select(s => s.Event.Action));
    }

    [Fact]
    public async Task An_unknown_request_is_named()
    {
        var e = await Assert.ThrowsAsync<RequestException>(() => _f.Service.FulfilAsync(RequestFixture.Dpo, 42, null));
        Assert.Equal("no request DSR-42", e.Message);
        await Assert.ThrowsAsync<RequestException>(() => _f.Service.ShowAsync(RequestFixture.Dpo, 42));
    }

    [Fact]
    public async Task The_indicators_count_requests_received_handled_and_overdue_and_the_mean_handling_time()
    {
        await _f.RecordAsync(Number);
        DateTimeOffset now = _f.Time.GetUtcNow();
        SubjectRequest handled = await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Erasure, Number, null, now.AddDays(-4), null);
        await _f.Service.RejectAsync(RequestFixture.Dpo, handled.Id, "identity not proven");
        await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, now.AddDays(-35), null);
        await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, now.AddDays(-1), null);
        await _f.Service.OpenAsync(RequestFixture.Dpo, RequestKind.Access, Number, null, now.AddDays(-75), null);

        KpiReport report = await _f.Store.ComputeKpiAsync(new KpiQuery(now.AddDays(-40), now.AddSeconds(1), null));

        Assert.Equal(3, report.RequestsReceived);
        Assert.Equal(1, report.RequestsHandled);
        Assert.Equal(1, report.RequestsOverdue);
        Assert.Equal(TimeSpan.FromDays(4), report.MeanRequestHandlingTime);
    }

    [Theory]
    [InlineData("DSR-17", 17)]
    [InlineData("dsr-3", 3)]
    [InlineData("8", 8)]
    public void A_request_code_reads_with_or_without_its_prefix(string text, long id)
    {
        Assert.True(SubjectRequest.TryParseCode(text, out long parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("DSR-")]
    [InlineData("DSR-x")]
    [InlineData("-4")]
    [InlineData("0")]
    public void Other_text_is_no_request_code(string text) => Assert.False(SubjectRequest.TryParseCode(text, out _));
}
