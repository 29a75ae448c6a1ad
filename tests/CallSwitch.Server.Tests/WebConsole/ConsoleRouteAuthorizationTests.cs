using System.Net;
using System.Net.Http.Headers;
using CallSwitch.Compliance.Storage;

namespace CallSwitch.Server.Tests.WebConsole;

/// <summary>
/// Every console route for every role: 200 where the role's rights reach, 403 (audited) where
/// they do not, the sign-in page or 401 for nobody. The expected table is written out here, not
/// asked of the authorisation service, so a change in either shows.
/// </summary>
public sealed class ConsoleRouteAuthorizationTests(ConsoleHostFixture fixture) : IClassFixture<ConsoleHostFixture>
{
    private const string Period = "?from=2026-01-01&to=2026-01-31";

    /// <summary>Route → the users allowed (by role name, see <see cref="ConsoleHostFixture.Users"/>).</summary>
    public static TheoryData<string, string, string> Routes()
    {
        var routes = new (string Method, string Path, string[] Allowed)[]
        {
            ("GET", "calls", ["supervisor"]),
            ("GET", "recordings", ["agent", "supervisor", "quality", "manager", "dpo"]),
            ("GET", "recordings/00000000-0000-0000-0000-000000000001", ["agent", "supervisor", "quality", "manager", "dpo"]),
            ("GET", "requests", ["dpo"]),
            ("GET", "holds", ["dpo"]),
            ("GET", "indicators", ["quality", "manager", "dpo"]),
            ("GET", "campaigns", ["admin"]),
            ("GET", "audit", ["dpo"]),
            ("GET", "api/recordings", ["agent", "supervisor", "quality", "manager", "dpo"]),
            ("GET", "api/requests", ["dpo"]),
            ("GET", "api/requests?status=open&overdue=1", ["dpo"]),
            ("GET", "api/do-not-call", ["dpo"]),
            ("GET", "api/holds", ["dpo"]),
            ("GET", "api/indicators" + Period, ["quality", "manager", "dpo"]),
            ("GET", "api/indicators.csv" + Period, ["quality", "manager", "dpo"]),
            ("GET", "api/campaigns", ["admin"]),
            ("GET", "api/audit", ["dpo"]),
            ("POST", "api/audit/verify", ["dpo", "admin"]),
        };
        var data = new TheoryData<string, string, string>();
        foreach ((string method, string path, string[] allowed) in routes)
        {
            foreach (string user in ConsoleHostFixture.Users.Keys)
            {
                data.Add(method + " " + path, user, allowed.Contains(user) ? "200" : "403");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EachRoleGetsTheRoutesItsRightsReachAndIsRefusedTheOthers(string route, string user, string expected)
    {
        (HttpClient client, string token) = await fixture.SessionOf(user);
        long before = await DenialsAsync(user);
        HttpResponseMessage answer = await SendAsync(client, route, token);
        Assert.Equal(expected, ((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected == "403" ? before + 1 : before, await DenialsAsync(user));
    }

    [Theory]
    [InlineData("calls")]
    [InlineData("recordings")]
    [InlineData("holds")]
    [InlineData("requests")]
    [InlineData("audit")]
    public async Task NobodySignedInIsSentToTheSignInPage(string path)
    {
        using HttpClient client = fixture.Client();
        HttpResponseMessage answer = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith("/signin?return=", answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/recordings")]
    [InlineData("api/holds")]
    [InlineData("api/requests")]
    [InlineData("api/do-not-call")]
    [InlineData("api/calls/events")]
    public async Task NobodySignedInGets401FromTheApi(string path)
    {
        using HttpClient client = fixture.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task ADisabledUserCannotSignIn()
    {
        using HttpClient client = fixture.Client();
        HttpResponseMessage answer = await ConsoleHostFixture.SignInAsync(client, "disabled");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("holds")).StatusCode);
    }

    [Fact]
    public async Task APostWithoutItsAntiforgeryTokenIsRefusedEvenSignedIn()
    {
        (HttpClient client, _) = await fixture.SignedInAsync("dpo");
        using (client)
        {
            HttpResponseMessage answer = await client.PostAsync("api/audit/verify", null);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains("antiforgery", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            HttpResponseMessage signOut = await client.PostAsync("signout", null);
            Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("holds")).StatusCode);
        }
    }

    private async Task<long> DenialsAsync(string user)
    {
        await fixture.Host.Archive!.FlushAsync();
        return (await fixture.Store.SearchAuditAsync(new AuditQuery { Actor = user, Action = AuditAction.AccessDenied })).Count;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route, string token)
    {
        string[] parts = route.Split(' ', 2);
        var request = new HttpRequestMessage(new HttpMethod(parts[0]), parts[1]);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (parts[0] == "POST")
        {
            request.Headers.Add("X-CSRF-Token", token);
        }

        return client.SendAsync(request);
    }
}
