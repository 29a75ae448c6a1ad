using System.Net;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.Tests.WebConsole;

/// <summary>Sign-in, lockout (audited), sign-out, session expiry and the page's language.</summary>
public sealed class ConsoleSessionTests(ConsoleHostFixture fixture) : IClassFixture<ConsoleHostFixture>
{
    [Fact]
    public async Task RepeatedFailuresLockTheNameOutEvenWithTheRightPasswordAndTheLockoutIsAudited()
    {
        using HttpClient client = fixture.Client();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ConsoleHostFixture.SignInAsync(client, "quality", "wrong")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleHostFixture.SignInAsync(client, "quality", "wrong")).StatusCode);
        HttpResponseMessage locked = await ConsoleHostFixture.SignInAsync(client, "quality");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("signin-error", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await fixture.Host.Archive!.FlushAsync();
        IReadOnlyList<AuditEntry> failed = await fixture.Store.SearchAuditAsync(new AuditQuery { Actor = "quality", Action = AuditAction.LoginFailed });
        Assert.Equal(3, failed.Count(e => e.Event.Detail!.Contains("wrong password", StringComparison.Ordinal)));
        Assert.Equal(2, failed.Count(e => e.Event.Detail!.Contains("locked out", StringComparison.Ordinal)));

        // The lockout ends after its time; the right password works again.
        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleHostFixture.SignInAsync(client, "quality")).StatusCode);
    }

    [Fact]
    public async Task ASessionEndsWithSignOutAndAfterItsIdleTime()
    {
        (HttpClient client, string token) = await fixture.SignedInAsync("dpo");
        using (client)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("holds")).StatusCode);
            fixture.Time.Advance(TimeSpan.FromMinutes(31));
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("holds")).StatusCode);
        }

        (client, token) = await fixture.SignedInAsync("dpo");
        using (client)
        {
            HttpResponseMessage signOut = await client.PostAsync("signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("holds")).StatusCode);
        }
    }

    [Fact]
    public async Task ThePageFollowsTheBrowsersLanguageUntilTheUserPicksOne()
    {
        using HttpClient client = fixture.Client();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR,fr;q=0.9,en;q=0.5");
        string french = await client.GetStringAsync("signin");
        Assert.Contains("<html lang=\"fr\">", french, StringComparison.Ordinal);
        Assert.Contains("Mot de passe", french, StringComparison.Ordinal);

        HttpResponseMessage pick = await client.GetAsync("language/en?return=/signin");
        Assert.Equal("/signin", pick.Headers.Location!.OriginalString);
        string english = await client.GetStringAsync("signin");
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Password", english, StringComparison.Ordinal);

        // An open redirect is not offered.
        Assert.Equal("/", (await client.GetAsync("language/fr?return=//evil.example")).Headers.Location!.OriginalString);
    }
}
