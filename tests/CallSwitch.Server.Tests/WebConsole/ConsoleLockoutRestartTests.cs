using System.Net;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Server.Tests.WebConsole;

/// <summary>
/// The console's lockout is kept in the store: a switch restarted on the same data folder still
/// refuses a locked-out name (with the right password) until the lockout's end, and a count of
/// failures short of a lockout carries over too.
/// </summary>
public sealed class ConsoleLockoutRestartTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cs-console-lockout-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task ALockoutAndACountOfFailuresSurviveARestart()
    {
        using (RecordingVault vault = RecordingVault.Open(_data, Path.Combine(_data, "spool"), Serilog.Core.Logger.None))
        {
            await using SwitchHost first = await ConsoleHostFixture.StartHostAsync(_data, vault, _time);
            foreach (string name in new[] { "quality", "dpo" })
            {
                Assert.True(await first.Archive!.Store.AddUserAsync(
                    new NewUser(name, PasswordHasher.Hash(ConsoleHostFixture.Password), null, [new RoleGrant(name == "dpo" ? Role.Dpo : Role.Quality, AccessScope.All)]), "test"));
            }

            using HttpClient client = ConsoleHostFixture.ClientOf(first);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ConsoleHostFixture.SignInAsync(client, "quality", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ConsoleHostFixture.SignInAsync(client, "quality", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleHostFixture.SignInAsync(client, "quality", "wrong")).StatusCode);

            // Two failures for the dpo: one more after the restart locks them out.
            Assert.Equal(HttpStatusCode.Unauthorized, (await ConsoleHostFixture.SignInAsync(client, "dpo", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ConsoleHostFixture.SignInAsync(client, "dpo", "wrong")).StatusCode);
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        using (RecordingVault vault = RecordingVault.Open(_data, Path.Combine(_data, "spool"), Serilog.Core.Logger.None))
        {
            await using SwitchHost second = await ConsoleHostFixture.StartHostAsync(_data, vault, _time);
            using HttpClient client = ConsoleHostFixture.ClientOf(second);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleHostFixture.SignInAsync(client, "quality")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleHostFixture.SignInAsync(client, "dpo", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleHostFixture.SignInAsync(client, "dpo")).StatusCode);

            await second.Archive!.FlushAsync();
            IReadOnlyList<AuditEntry> refused = await second.Archive.Store.SearchAuditAsync(new AuditQuery { Actor = "quality", Action = AuditAction.LoginFailed });
            Assert.Equal(2, refused.Count(e => e.Event.Detail!.Contains("locked out", StringComparison.Ordinal)));

            // The lockout ends at its time (10 minutes from the third failure), restart or not.
            _time.Advance(TimeSpan.FromMinutes(9));
            Assert.Equal(HttpStatusCode.Redirect, (await ConsoleHostFixture.SignInAsync(client, "quality")).StatusCode);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
