using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Rules;
using CallSwitch.Compliance.Storage;
using CallSwitch.Configuration;
using CallSwitch.InteropTests.Calls;
using CallSwitch.Server.Hosting;
using CallSwitch.Server.WebConsole;
using CallSwitch.TestSupport;
using Microsoft.Playwright;

namespace CallSwitch.InteropTests.WebConsole;

/// <summary>
/// A recording switch with its web console on a free loopback port (SIPp as agent and carrier
/// through <see cref="CallHarness"/>), CallSwitch users of each kind, and Debian's Chromium
/// driven by Playwright (headless, by executable path: no browser is downloaded). Chromium that
/// cannot start fails the test.
/// </summary>
internal sealed class ConsoleHarness : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    /// <summary>The harness's campaign, recorded always, for training.</summary>
    public static readonly RecordingRule Rule = new()
    {
        CampaignId = "spring",
        Mode = RecordingMode.Always,
        RecordAnnouncement = true,
        Purposes = ["training"],
        LegalBasis = LegalBasis.LegitimateInterest,
        RetentionDays = 30,
    };

    private readonly string _data;

    private ConsoleHarness(CallHarness calls, string data, IPlaywright playwright, IBrowser browser)
    {
        Calls = calls;
        _data = data;
        Playwright = playwright;
        Browser = browser;
    }

    public CallHarness Calls { get; }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public SwitchHost Host => Calls.Switch.Host;

    public IMetadataStore Store => Host.Archive!.Store;

    public string BaseUrl => "http://127.0.0.1:" + Host.Services.GetService(typeof(ConsoleListener)) switch
    {
        ConsoleListener { EndPoint: { } end } => end.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException("the console is not listening"),
    };

    /// <summary>Where the tests' screenshots go (artefacts of the run).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "console-screenshots")).FullName;

    public static async Task<ConsoleHarness> StartAsync()
    {
        string data = Directory.CreateTempSubdirectory("cs-console-").FullName;
        CallHarness calls = CallHarness.Start(recording: Rule, dataPath: data, adjust: config => config with
        {
            Console = new ConsoleConfig { Port = FreePorts.Next() },

            // The harness routes campaign "spring" itself; the authorisation service reads its rule from the configuration.
            Campaigns = [.. config.Campaigns, config.Campaigns[0] with { Id = "spring", Recording = Rule, Access = null }],
        });
        IPlaywright? playwright = null;
        try
        {
            IMetadataStore store = calls.Switch.Host.Archive?.Store ?? throw new InvalidOperationException("no store\n" + calls.Switch.Log);
            await AddUserAsync(store, "quality", null, new RoleGrant(Role.Quality, AccessScope.All));
            await AddUserAsync(store, "sup", null, new RoleGrant(Role.Supervisor, AccessScope.Team("paris")));
            await AddUserAsync(store, "sup-lyon", null, new RoleGrant(Role.Supervisor, AccessScope.Team("lyon")));
            await AddUserAsync(store, "dpo", null, new RoleGrant(Role.Dpo, AccessScope.All));
            await AddUserAsync(store, "admin", null, new RoleGrant(Role.Admin, AccessScope.All));
            playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExternalTools.Find("chromium", "chromium"),
                Headless = true,
                Args = ["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
                Timeout = 60_000,
            });
            return new ConsoleHarness(calls, data, playwright, browser);
        }
        catch
        {
            playwright?.Dispose();
            await calls.DisposeAsync();
            Directory.Delete(data, recursive: true);
            throw;
        }
    }

    /// <summary>A new browser context (its own cookies) at 1280×800, signed in as <paramref name="user"/>, on its first page.</summary>
    public async Task<IPage> SignInAsync(string user, string language = "en")
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = language },
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/signin");
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");

        // Signed in once the browser has left /signin and parsed the start page. Not its "load"
        // event: once, under CI load, that never came in 20 s although the network was idle.
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException e)
        {
            string shown = await page.Locator("#signin-error").CountAsync() > 0 ? await page.InnerTextAsync("#signin-error") : "(no error shown)";
            throw new InvalidOperationException($"{user} was not signed in: at {page.Url}, {shown}\n{Calls.Switch.Log}", e);
        }

        return page;
    }

    /// <summary>Places one call with SIPp through the switch (recorded: the campaign records always) and returns its recording, once stored.</summary>
    public async Task<RecordingMetadata> RecordOneCallAsync(int talkMs)
    {
        var (agent, trunk) = await Calls.RunAsync("trunk-answer", agentHangup: "agent-bye", trunkHangup: "trunk-wait-bye", talkMs: talkMs);
        Assert.True(agent.ExitCode == 0 && trunk.ExitCode == 0, $"agent: {agent}\ntrunk: {trunk}\n{Calls.Switch.Log}");
        await Calls.LastCall!.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await Host.Archive!.FlushAsync();
        return Assert.Single((await Store.SearchRecordingsAsync(new RecordingQuery())).Items);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>The audit entries of <paramref name="actor"/>, oldest first.</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditOfAsync(string actor) => Store.SearchAuditAsync(new AuditQuery { Actor = actor });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Calls.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private static async Task AddUserAsync(IMetadataStore store, string name, string? extension, RoleGrant grant) =>
        Assert.True(await store.AddUserAsync(new NewUser(name, PasswordHasher.Hash(Password), extension, [grant]), "test"), name);
}
