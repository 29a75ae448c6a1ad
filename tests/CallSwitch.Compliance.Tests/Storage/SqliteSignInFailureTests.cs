using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>Failed sign-ins per name (schema step 9): kept across reopening, changed atomically, stale names forgotten, locked ones kept.</summary>
public sealed class SqliteSignInFailureTests : IDisposable
{
    private static readonly DateTimeOffset T0 = StoreSamples.T0;
    private readonly TempDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task FailuresAreKeptAcrossReopeningAndForgottenWhenChangedToNothing()
    {
        await using (SqliteMetadataStore store = Open())
        {
            Assert.Null(await store.GetSignInFailuresAsync("quality"));
            await store.ChangeSignInFailuresAsync("quality", T0.AddDays(-1), before => new SignInFailures("quality", (before?.Failures ?? 0) + 1, T0, null));
            SignInFailures? stored = await store.ChangeSignInFailuresAsync("quality", T0.AddDays(-1), before => before! with { Failures = before.Failures + 1, LockedUntil = T0.AddMinutes(10) });
            Assert.Equal(new SignInFailures("quality", 2, T0, T0.AddMinutes(10)), stored);
        }

        await using (SqliteMetadataStore store = Open())
        {
            Assert.Equal(new SignInFailures("quality", 2, T0, T0.AddMinutes(10)), await store.GetSignInFailuresAsync("quality"));
            Assert.Null(await store.ChangeSignInFailuresAsync("quality", T0.AddDays(-1), _ => null));
            Assert.Null(await store.GetSignInFailuresAsync("quality"));
        }
    }

    [Fact]
    public async Task ConcurrentFailuresOfOneNameAreAllCounted()
    {
        await using SqliteMetadataStore store = Open();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            store.ChangeSignInFailuresAsync("dpo", T0.AddDays(-1), before => new SignInFailures("dpo", (before?.Failures ?? 0) + 1, T0, null))));
        Assert.Equal(50, (await store.GetSignInFailuresAsync("dpo"))!.Failures);
    }

    [Fact]
    public async Task StaleNamesAreForgottenButNotOneStillLockedOut()
    {
        await using SqliteMetadataStore store = Open();
        await store.ChangeSignInFailuresAsync("old", T0.AddDays(-10), _ => new SignInFailures("old", 1, T0.AddDays(-2), null));
        await store.ChangeSignInFailuresAsync("locked", T0.AddDays(-10), _ => new SignInFailures("locked", 5, T0.AddDays(-2), T0.AddDays(1)));
        await store.ChangeSignInFailuresAsync("recent", T0.AddDays(-10), _ => new SignInFailures("recent", 1, T0, null));

        await store.ChangeSignInFailuresAsync("recent", T0.AddDays(-1), before => before! with { Failures = 2 });
        Assert.Null(await store.GetSignInFailuresAsync("old"));
        Assert.NotNull(await store.GetSignInFailuresAsync("locked"));
        Assert.Equal(2, (await store.GetSignInFailuresAsync("recent"))!.Failures);
    }

    [Fact]
    public async Task AChangeThatRenamesOrCountsBelowZeroIsRefusedAndNothingIsWritten()
    {
        await using SqliteMetadataStore store = Open();
        await Assert.ThrowsAnyAsync<Exception>(() => store.ChangeSignInFailuresAsync("a", T0, _ => new SignInFailures("b", 1, T0, null)));
        await Assert.ThrowsAnyAsync<Exception>(() => store.ChangeSignInFailuresAsync("a", T0, _ => new SignInFailures("a", -1, T0, null)));
        Assert.Null(await store.GetSignInFailuresAsync("a"));
        Assert.Null(await store.GetSignInFailuresAsync("b"));
    }

    private SqliteMetadataStore Open() => SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path });
}
