using CallSwitch.Calls.Registration;
using CallSwitch.Server.Tests.Interop;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using CallSwitch.TestSupport.Peers;

namespace CallSwitch.Server.Tests.Calls;

/// <summary>
/// A real softphone (baresip) as the agent, through the switch, with SIPp as the carrier.
/// </summary>
public sealed class BaresipCallTests : IDisposable
{
    private const double AgentHz = 440;

    private readonly string _folder = Directory.CreateTempSubdirectory("cs-baresip-test-").FullName;

    [Fact]
    public async Task BaresipRegistersAsAgent1001WithDigestAndTheExpiryItAskedFor()
    {
        await using var sw = TestSwitch.Start();
        string wav = TestWav.WriteTone(Path.Combine(_folder, "agent.wav"), AgentHz, TimeSpan.FromSeconds(20));
        await using var phone = await Baresip.StartAsync(new BaresipOptions { Server = sw.EndPoint, User = "1001", Password = "demo1001", AudioSource = wav, RegisterSeconds = 600 });

        Binding binding = await WaitForBindingAsync(sw, "1001", phone);

        // Bound by the authenticated user (baresip's Contact user is "1001-0x<pointer>"), at the
        // port it registered from, for the 600 s it asked for in the Contact's expires parameter.
        Assert.StartsWith("sip:1001-0x", binding.ContactUri, StringComparison.Ordinal);
        Assert.EndsWith("@127.0.0.1:" + phone.SipPort, binding.ContactUri, StringComparison.Ordinal);
        Assert.Equal(SipProtocol.Udp, binding.Flow.Protocol);
        Assert.Equal(phone.SipPort, binding.Flow.Remote.Port);
        Assert.Equal(TimeSpan.FromSeconds(600), binding.ExpiresAt - binding.RegisteredAt);
        Assert.StartsWith("baresip", binding.UserAgent, StringComparison.Ordinal);

        // baresip's side: registered, for 600 s, after one MD5 challenge (the only algorithm it
        // knows: offered SHA-256 as well, it gives up), answered with qop=auth.
        string info = await phone.CommandAsync("reginfo");
        Assert.Matches(@"sip:1001@127\.0\.0\.1:\d+\s+OK\s+CallSwitch Expires 600s", info);
        string output = phone.Output;
        Assert.Contains("WWW-Authenticate: Digest realm=\"callswitch\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("algorithm=SHA-256", output, StringComparison.Ordinal);
        Assert.Matches(@"Authorization: Digest username=""1001"", realm=""callswitch"".*qop=auth, nc=00000001", output);
    }

    private static async Task<Binding> WaitForBindingAsync(TestSwitch sw, string user, Baresip phone)
    {
        for (int i = 0; i < 200 && sw.Host.Registrar.GetBindings(user).Count == 0; i++)
        {
            await Task.Delay(25);
        }

        IReadOnlyList<Binding> bindings = sw.Host.Registrar.GetBindings(user);
        Assert.True(bindings.Count == 1, $"{bindings.Count} binding(s) of {user} after 5 s\n{phone}\n--- switch log ---\n{sw.Log}");
        return bindings[0];
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
