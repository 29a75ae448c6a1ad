using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Numbers;
using CallSwitch.Compliance.Requests;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Compliance.Tests.Requests;

public sealed class DoNotCallTests : IAsyncLifetime
{
    private readonly RequestFixture _f = new();
    private DoNotCallService _service = null!;

    public Task InitializeAsync()
    {
        _service = new DoNotCallService(_f.Store, _f.Store, new PhoneNumberNormalizer("FR"), _f.Guard, _f.Time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task The_cache_sees_a_number_listed_by_another_process_at_its_next_reload_and_never_waits_for_the_store()
    {
        await using var cache = new DoNotCallCache(_f.Store, _f.Time, TimeSpan.FromSeconds(5));
        await cache.StartAsync();
        Assert.False(cache.IsListed("+33612345678", "acme-fr"));

        Assert.True(await _service.AddAsync(RequestFixture.Dpo, "06 12 34 56 78", "acme-fr"));
        Assert.False(cache.IsListed("+33612345678", "acme-fr"));

        _f.Time.Advance(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => cache.IsListed("+33612345678", "acme-fr"));
        Assert.False(cache.IsListed("+33612345678", "acme-be"));
        Assert.Equal(1, cache.Count);

        // A removal changes the list's version too.
        Assert.True(await _service.RemoveAsync(RequestFixture.Dpo, "+33612345678", "acme-fr", "client asked"));
        _f.Time.Advance(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => !cache.IsListed("+33612345678", "acme-fr"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task The_lists_version_changes_with_every_change_and_only_then()
    {
        long start = await _f.Store.DoNotCallVersionAsync();
        Assert.Equal(start, await _f.Store.DoNotCallVersionAsync());

        await _service.AddAsync(RequestFixture.Dpo, "+33612345678", null);
        long added = await _f.Store.DoNotCallVersionAsync();
        Assert.False(await _service.AddAsync(RequestFixture.Dpo, "+33612345678", null));
        long again = await _f.Store.DoNotCallVersionAsync();
        await _service.RemoveAsync(RequestFixture.Dpo, "+33612345678", null, "client asked");

        Assert.True(added > start);
        Assert.Equal(added, again);
        Assert.True(await _f.Store.DoNotCallVersionAsync() > again);
    }

    [Fact]
    public async Task A_file_with_one_bad_line_is_refused_whole_and_names_the_line()
    {
        using var csv = new StringReader("number,campaign\n06 12 34 56 78,acme-fr\nnot a number\n+33698765432\n");

        var e = await Assert.ThrowsAsync<RequestException>(() => _service.ImportAsync(RequestFixture.Dpo, csv, "client list", null));

        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _f.Store.ListDoNotCallAsync());
    }

    [Fact]
    public async Task An_imported_list_exports_back_with_its_campaigns_and_nothing_in_clear_goes_to_the_audit_log()
    {
        await _service.AddAsync(RequestFixture.Dpo, "+33611111111", null);
        using var csv = new StringReader("number,campaign\n06 12 34 56 78,acme-fr\n+33 6 98 76 54 32\n\n06 11 11 11 11\n");

        var (added, read) = await _service.ImportAsync(RequestFixture.Dpo, csv, "client list", null);

        Assert.Equal((2, 3), (added, read));
        using var exported = new StringWriter();
        Assert.Equal(3, await _service.ExportAsync(RequestFixture.Dpo, exported));
        string[] lines = exported.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("number,campaign,added_at,added_by,source", lines[0]);
        Assert.Equal(["+33611111111,", "+33612345678,acme-fr", "+33698765432,"], lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(2))));
        Assert.All(lines.Skip(1), l => Assert.Contains(",dana,", l, StringComparison.Ordinal));
        IReadOnlyList<AuditEntry> audit = await _f.Store.ReadAuditAsync(0, 1000);
        Assert.Equal(3, audit.Count(e => e.Event.Action == AuditAction.DoNotCallChanged));
        Assert.DoesNotContain(audit, e => (e.Event.Detail ?? string.Empty).Contains("12345678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_needs_a_reason_and_says_when_the_number_was_not_listed()
    {
        await _service.AddAsync(RequestFixture.Dpo, "+33612345678", "acme-fr");

        await Assert.ThrowsAsync<RequestException>(() => _service.RemoveAsync(RequestFixture.Dpo, "+33612345678", "acme-fr", " "));
        Assert.False(await _service.RemoveAsync(RequestFixture.Dpo, "+33612345678", null, "client asked"));
        Assert.True(await _service.RemoveAsync(RequestFixture.Dpo, "+33612345678", "acme-fr", "client asked"));
        Assert.Empty(await _f.Store.ListDoNotCallAsync());
    }

    [Fact]
    public async Task Only_a_role_that_handles_requests_changes_the_list()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => _service.AddAsync(RequestFixture.Quality, "+33612345678", null));
        Assert.Empty(await _f.Store.ListDoNotCallAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The reload runs on the thread pool once the fake clock fires it: bounded wait, no sleep-based timing.
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
