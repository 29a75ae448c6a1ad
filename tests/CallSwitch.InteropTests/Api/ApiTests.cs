using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallSwitch.Configuration;
using CallSwitch.InteropTests.Signalling;

namespace CallSwitch.InteropTests.Api;

/// <summary>The CRM's HTTP API over real HTTP on loopback, served by a whole switch: authentication, scopes and errors.</summary>
public class ApiTests
{
    public const string CrmToken = "crm-token-for-tests";
    public const string ScopedToken = "scoped-token-for-tests";

    /// <summary>An 'api' section on a free loopback port with two clients: "crm" (every agent) and "scoped" (agent 1002 only).</summary>
    internal static SwitchConfig WithApi(SwitchConfig config) => config with
    {
        Api = new ApiConfig
        {
            Port = 0,
            Clients =
            [
                new ApiClientConfig { Id = "crm", TokenSha256 = SHA256.HashData(Encoding.UTF8.GetBytes(CrmToken)) },
                new ApiClientConfig { Id = "scoped", TokenSha256 = SHA256.HashData(Encoding.UTF8.GetBytes(ScopedToken)), Agents = ["1002"] },
            ],
        },
    };

    /// <summary>A switch (no routes, no call) with the API of <see cref="WithApi"/>, and a client of it.</summary>
    internal static (TestSwitch Switch, HttpClient Http) Start()
    {
        TestSwitch sw = TestSwitch.Start(WithApi);
        return (sw, Client(sw));
    }

    /// <summary>An HTTP client of <paramref name="sw"/>'s API.</summary>
    internal static HttpClient Client(TestSwitch sw) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{sw.Host.ApiEndPoint!.Port}/"), Timeout = TimeSpan.FromSeconds(10) };

    internal static HttpRequestMessage Request(HttpMethod method, string path, string? token = CrmToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    [Fact]
    public async Task ARequestWithoutATokenIsChallengedAndOneWithAWrongTokenRefused()
    {
        var (api, http) = Start();
        await using (api)
        using (http)
        {
            using (HttpResponseMessage none = await http.SendAsync(Request(HttpMethod.Get, "api/v1/calls", token: null)))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
                Assert.Equal("Bearer", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
            }

            using (HttpResponseMessage wrong = await http.SendAsync(Request(HttpMethod.Get, "api/v1/calls", token: "not-the-token")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.Contains("invalid_token", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }

            using (var basic = new HttpRequestMessage(HttpMethod.Get, "api/v1/calls"))
            {
                basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("crm:" + CrmToken)));
                Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, basic)).Status);
            }

            var (status, body) = await SendAsync(http, Request(HttpMethod.Get, "api/v1/calls"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(0, body.GetProperty("calls").GetArrayLength());
            Assert.Contains("wrong token", api.Log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TooManyWrongTokensBlockTheAddressEvenForTheRightToken()
    {
        var (api, http) = Start();
        await using (api)
        using (http)
        {
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, Request(HttpMethod.Get, "api/v1/calls", token: "guess-" + i))).Status);
            }

            using HttpResponseMessage blocked = await http.SendAsync(Request(HttpMethod.Get, "api/v1/calls"));
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.NotNull(blocked.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task UnknownCallsAgentsOutsideTheScopeAndUnknownActionsGetClearErrors()
    {
        var (api, http) = Start();
        await using (api)
        using (http)
        {
            var (status, body) = await SendAsync(http, Request(HttpMethod.Post, "api/v1/calls/no-such-call/recording/pause"));
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("no call no-such-call", body.GetProperty("error").GetString(), StringComparison.Ordinal);

            (status, body) = await SendAsync(http, Request(HttpMethod.Post, "api/v1/agents/1001/recording/pause"));
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("agent 1001 has no answered call", body.GetProperty("error").GetString(), StringComparison.Ordinal);

            (status, body) = await SendAsync(http, Request(HttpMethod.Post, "api/v1/agents/1001/recording/pause", ScopedToken));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("may not act for agent 1001", body.GetProperty("error").GetString(), StringComparison.Ordinal);

            (status, body) = await SendAsync(http, Request(HttpMethod.Post, "api/v1/agents/1001/recording/erase"));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("unknown recording action 'erase'", body.GetProperty("error").GetString(), StringComparison.Ordinal);

            using HttpResponseMessage get = await http.SendAsync(Request(HttpMethod.Get, "api/v1/agents/1001/recording/pause"));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        }
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedAndTheApiStillAnswers()
    {
        var (api, http) = Start();
        await using (api)
        using (http)
        {
            using HttpRequestMessage big = Request(HttpMethod.Post, "api/v1/agents/1001/recording/pause");
            big.Content = new ByteArrayContent(new byte[64 * 1024]);
            using HttpResponseMessage refused = await http.SendAsync(big);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, Request(HttpMethod.Get, "api/v1/calls"))).Status);
        }
    }

    [Fact]
    public async Task AClientRefusedAnAgentByTheAuthorisationServiceIsAnswered403AndTheDenialIsAudited()
    {
        string data = Directory.CreateTempSubdirectory("cs-api-audit-").FullName;
        try
        {
            var calls = new CallSwitch.Server.Hosting.CallSetup
            {
                Relay = new CallSwitch.Media.Relay.MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = 40000, MaxPort = 49999 },
                DataPath = data,
            };
            TestSwitch sw = TestSwitch.Start(WithApi, calls);
            await using (sw)
            using (HttpClient http = Client(sw))
            {
                var (status, body) = await SendAsync(http, Request(HttpMethod.Post, "api/v1/agents/1001/recording/oppose", ScopedToken));
                Assert.Equal(HttpStatusCode.Forbidden, status);
                Assert.Contains("may not act for agent 1001", body.GetProperty("error").GetString(), StringComparison.Ordinal);

                // Its own agent passes the authorisation service (and finds no call).
                (status, _) = await SendAsync(http, Request(HttpMethod.Post, "api/v1/agents/1002/recording/oppose", ScopedToken));
                Assert.Equal(HttpStatusCode.NotFound, status);
            }

            await using var store = CallSwitch.Compliance.Storage.Sqlite.SqliteMetadataStore.Open(new CallSwitch.Compliance.Storage.Sqlite.SqliteMetadataStoreOptions { DataDirectory = data });
            var denied = Assert.Single(await store.ReadAuditAsync(0, 100), e => e.Event.Action == CallSwitch.Compliance.Storage.AuditAction.AccessDenied).Event;
            Assert.Equal("api:scoped", denied.Actor);
            Assert.Contains("action=recording-control", denied.Detail, StringComparison.Ordinal);
            Assert.Contains("agent=1001", denied.Detail, StringComparison.Ordinal);
            Assert.Contains("supervisor@agent:1002 does not cover", denied.Detail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
