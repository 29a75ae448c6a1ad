using CallSwitch.TestSupport.Peers;

namespace CallSwitch.InteropTests.Signalling;

/// <summary>
/// The real SIPp (package sip-tester) against a running switch on loopback, over UDP and TCP:
/// registration with digest auth, a wrong password, unregistration, OPTIONS, and an INVITE
/// challenged with 407. SIPp exits 0 only when every expected message came as scripted.
/// </summary>
public class SippInteropTests
{
    private static string Scenario(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signalling", "Scenarios", name + ".xml"));

    private static Dictionary<string, string> Agent(string user = "1001", string password = "demo1001") =>
        new() { ["USER"] = user, ["PASSWORD"] = password, ["FINAL"] = "403" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RegistersWithDigestAuth(bool tcp)
    {
        await using var sw = TestSwitch.Start();

        SippResult result = await Sipp.RunAsync(Scenario("register-auth"), sw.EndPoint, tcp, Agent());

        Assert.True(result.ExitCode == 0, result + "\n--- switch log ---\n" + sw.Log);
        var binding = Assert.Single(sw.Host.Registrar.GetBindings("1001"));
        Assert.Equal(tcp ? Sip.Transport.SipProtocol.Tcp : Sip.Transport.SipProtocol.Udp, binding.Flow.Protocol);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RefusesWrongPassword(bool tcp)
    {
        await using var sw = TestSwitch.Start();

        SippResult result = await Sipp.RunAsync(Scenario("register-wrong-password"), sw.EndPoint, tcp, Agent());

        Assert.True(result.ExitCode == 0, result + "\n--- switch log ---\n" + sw.Log);
        Assert.Empty(sw.Host.Registrar.GetBindings("1001"));
        Assert.Contains("Authentication failed", sw.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", sw.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unregisters(bool tcp)
    {
        await using var sw = TestSwitch.Start();

        SippResult result = await Sipp.RunAsync(Scenario("unregister"), sw.EndPoint, tcp, Agent("1002", "demo1002"));

        Assert.True(result.ExitCode == 0, result + "\n--- switch log ---\n" + sw.Log);
        Assert.Empty(sw.Host.Registrar.GetBindings("1002"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnswersOptions(bool tcp)
    {
        await using var sw = TestSwitch.Start();

        SippResult result = await Sipp.RunAsync(Scenario("options"), sw.EndPoint, tcp);

        Assert.True(result.ExitCode == 0, result + "\n--- switch log ---\n" + sw.Log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChallengesInviteWith407(bool tcp)
    {
        await using var sw = TestSwitch.Start();

        SippResult result = await Sipp.RunAsync(Scenario("invite-challenged"), sw.EndPoint, tcp, Agent("1003", "demo1003"));

        Assert.True(result.ExitCode == 0, result + "\n--- switch log ---\n" + sw.Log);
        // The refused number is in the log masked (no phone number in clear in logs).
        Assert.Contains("INVITE from 1003 to sip:+*********78", sw.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("33612345678", sw.Log, StringComparison.Ordinal);
        Assert.Contains("403 No Campaign Assigned", sw.Log, StringComparison.Ordinal);

        // Both ACKs answer non-2xx finals: they belong to the INVITE server transactions
        // (RFC 3261 §17.2.3), so none may reach the core as a dialog ACK.
        Assert.DoesNotContain("ACK without a dialog", sw.Log, StringComparison.Ordinal);
    }
}
