using System.Net;
using System.Text.RegularExpressions;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.Tests.Logging;
using CallSwitch.Server.WebConsole;
using CallSwitch.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Server.Tests.WebConsole;

/// <summary>
/// A switch in process with its console on a free loopback port, a store in a temporary folder,
/// a fake clock (sessions and lockouts expire without waiting), and one user per role; HTTP
/// clients sign in through the console's own form.
/// </summary>
public sealed partial class ConsoleHostFixture : IAsyncLifetime
{
    public const string Password = "s3cret-enough";

    private readonly Dictionary<string, Task<(HttpClient, string)>> _sessions = new(StringComparer.Ordinal);
    private readonly string _data = Directory.CreateTempSubdirectory("cs-console-").FullName;
    private RecordingVault? _vault;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public SwitchHost Host { get; private set; } = null!;

    public IMetadataStore Store => Host.Archive!.Store;

    /// <summary>The users, one per role (named after it), plus "disabled" (no role any more).</summary>
    public static IReadOnlyDictionary<string, RoleGrant> Users { get; } = new Dictionary<string, RoleGrant>
    {
        ["agent"] = new(Role.Agent, AccessScope.All),
        ["supervisor"] = new(Role.Supervisor, AccessScope.Team("paris")),
        ["quality"] = new(Role.Quality, AccessScope.All),
        ["manager"] = new(Role.Manager, AccessScope.Campaign("demo-fr")),
        ["dpo"] = new(Role.Dpo, AccessScope.All),
        ["admin"] = new(Role.Admin, AccessScope.All),
    };

    public async Task InitializeAsync()
    {
        _vault = RecordingVault.Open(_data, Path.Combine(_data, "spool"), Serilog.Core.Logger.None);
        Host = await StartHostAsync(_data, _vault, Time);
        foreach ((string name, RoleGrant grant) in Users)
        {
            Assert.True(await Store.AddUserAsync(new NewUser(name, PasswordHasher.Hash(Password), name == "agent" ? "1001" : null, [grant]), "test"));
        }

        Assert.True(await Store.AddUserAsync(new NewUser("disabled", PasswordHasher.Hash(Password), null, [new RoleGrant(Role.Dpo, AccessScope.All)]), "test"));
        Assert.True(await Store.SetDisabledAsync("disabled", true, "test"));
    }

    /// <summary>A switch with its console (3 failures lock out for 10 minutes; sessions of 30 minutes) over the data folder and vault given.</summary>
    public static async Task<SwitchHost> StartHostAsync(string data, RecordingVault vault, TimeProvider time)
    {
        var (embedded, errors) = ConfigFixture.LoadEmbedded();
        Assert.Empty(errors);
        SwitchConfig config = embedded! with
        {
            Listen = [new ListenConfig(TransportProtocol.Udp, IPAddress.Loopback, FreePorts.Next())],
            Api = null,
            Console = new ConsoleConfig { Port = FreePorts.Next(), MaxFailures = 3, LockoutMinutes = 10, SessionMinutes = 30 },
        };
        return await SwitchHost.StartAsync(config, SwitchLog.Create(config.Logging, new StringWriter()), new SwitchHostOptions
        {
            Time = time,

            // A vault: the requests page finds numbers by their keyed hash.
            Calls = new CallSetup { DataPath = data, Vault = vault, Relay = new CallSwitch.Media.Relay.MediaRelayOptions { BindAddress = IPAddress.Loopback, MinPort = 40000, MaxPort = 49999 } },
        });
    }

    /// <summary>A client of <paramref name="host"/>'s console with its own cookies, following no redirect.</summary>
    public static HttpClient ClientOf(SwitchHost host) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{host.Services.GetRequiredService<ConsoleListener>().EndPoint!.Port}/"),
        };

    /// <summary>One signed-in client per user, kept for the fixture's life (signing in costs a PBKDF2 of 600,000 rounds).</summary>
    public Task<(HttpClient Client, string Token)> SessionOf(string user)
    {
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(user, out Task<(HttpClient, string)>? session))
            {
                session = SignedInAsync(user);
                _sessions[user] = session;
            }

            return session;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (Task<(HttpClient Client, string Token)> session in _sessions.Values)
        {
            (await session).Client.Dispose();
        }

        await Host.DisposeAsync();
        _vault?.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>A client with its own cookies, following no redirect.</summary>
    public HttpClient Client() => ClientOf(Host);

    /// <summary>The antiforgery token of a page the client gets.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path = "signin")
    {
        using HttpResponseMessage answer = await client.GetAsync(path);
        string page = await answer.Content.ReadAsStringAsync();
        return Token().Match(page).Groups[1].Value;
    }

    /// <summary>Signs a client in through the form; returns the answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password = Password)
    {
        string token = await TokenAsync(client);
        return await client.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token,
            ["user"] = user,
            ["password"] = password,
        }));
    }

    /// <summary>A signed-in client and its antiforgery token (for the script's POSTs).</summary>
    public async Task<(HttpClient Client, string Token)> SignedInAsync(string user)
    {
        HttpClient client = Client();
        HttpResponseMessage answer = await SignInAsync(client, user);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        string token = await TokenAsync(client, "recordings/00000000-0000-0000-0000-000000000000");
        return (client, token);
    }

    [GeneratedRegex("<meta name=\"csrf\" content=\"([^\"]+)\"")]
    private static partial Regex Token();
}
