using System.Net;
using System.Text;
using CallSwitch.Calls.Registration;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Calls.Tests.Registration;

public class RegistrarTests
{
    private static readonly SipFlow Flow = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060), new IPEndPoint(IPAddress.Loopback, 40000));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private readonly Registrar _registrar;

    public RegistrarTests() => _registrar = new Registrar(new RegistrarSettings(), _time);

    private static SipRequest Register(string user, uint cseq, string callId = "reg-1", string? extra = null, params string[] contacts)
    {
        var sb = new StringBuilder();
        sb.Append("REGISTER sip:127.0.0.1 SIP/2.0\r\n");
        sb.Append("Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK").Append(cseq).Append("\r\n");
        sb.Append("From: <sip:").Append(user).Append("@127.0.0.1>;tag=abc\r\n");
        sb.Append("To: <sip:").Append(user).Append("@127.0.0.1>\r\n");
        sb.Append("Call-ID: ").Append(callId).Append("\r\n");
        sb.Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n");
        foreach (string c in contacts)
        {
            sb.Append("Contact: ").Append(c).Append("\r\n");
        }

        if (extra is not null)
        {
            sb.Append(extra).Append("\r\n");
        }

        sb.Append("Content-Length: 0\r\n\r\n");
        return (SipRequest)new SipMessageParser().Parse(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    [Fact]
    public void BindsByAuthenticatedUserNotContactUser()
    {
        var result = _registrar.Register(Register("1001", 1, contacts: "<sip:1001-0x55d1c0@127.0.0.1:40000>;expires=600"), Flow, "1001");

        Assert.Equal(200, result.StatusCode);
        var binding = Assert.Single(_registrar.GetBindings("1001"));
        Assert.Equal("sip:1001-0x55d1c0@127.0.0.1:40000", binding.ContactUri);
        Assert.Equal(Flow, binding.Flow);
        Assert.Equal(600, binding.SecondsLeft(_time.GetUtcNow()));
    }

    [Fact]
    public void RefusesRegisteringAnotherUsersAddress()
    {
        var result = _registrar.Register(Register("1002", 1, contacts: "<sip:x@127.0.0.1>"), Flow, "1001");
        Assert.Equal(403, result.StatusCode);
        Assert.Empty(_registrar.GetBindings("1002"));
    }

    [Fact]
    public void ExpiresHeaderAppliesWhenContactHasNoParameter()
    {
        _registrar.Register(Register("1001", 1, extra: "Expires: 120", contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");
        Assert.Equal(120, _registrar.GetBindings("1001")[0].SecondsLeft(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(121));
        Assert.Empty(_registrar.GetBindings("1001"));
        Assert.Empty(_registrar.RegisteredUsers);
    }

    [Fact]
    public void KeepsSeveralContactsAndListsThemAll()
    {
        _registrar.Register(Register("1001", 1, contacts: "<sip:desk@127.0.0.1:1>"), Flow, "1001");
        var result = _registrar.Register(Register("1001", 1, callId: "other", contacts: "<sip:mobile@127.0.0.1:2>;q=0.5"), Flow, "1001");

        Assert.Equal(2, result.Bindings.Count);
        Assert.Equal(["sip:desk@127.0.0.1:1", "sip:mobile@127.0.0.1:2"], _registrar.GetBindings("1001").Select(b => b.ContactUri));
        var values = _registrar.ContactValues(result.Bindings).ToList();
        Assert.Contains(values, v => v.Contains("expires=3600", StringComparison.Ordinal));
    }

    [Fact]
    public void UnregistersWithExpiresZero()
    {
        _registrar.Register(Register("1001", 1, contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");
        var result = _registrar.Register(Register("1001", 2, extra: "Expires: 0", contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");

        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Bindings);
        Assert.Empty(_registrar.GetBindings("1001"));
    }

    [Fact]
    public void WildcardRemovesEveryBindingOnlyWithExpiresZero()
    {
        _registrar.Register(Register("1001", 1, contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");
        _registrar.Register(Register("1001", 1, callId: "b", contacts: "<sip:b@127.0.0.1:2>"), Flow, "1001");

        Assert.Equal(400, _registrar.Register(Register("1001", 5, contacts: "*"), Flow, "1001").StatusCode);
        Assert.Equal(2, _registrar.GetBindings("1001").Count);

        Assert.Equal(200, _registrar.Register(Register("1001", 5, extra: "Expires: 0", contacts: "*"), Flow, "1001").StatusCode);
        Assert.Empty(_registrar.GetBindings("1001"));
    }

    [Fact]
    public void RefusesTooBriefIntervalWithMinExpires()
    {
        var result = _registrar.Register(Register("1001", 1, contacts: "<sip:a@127.0.0.1:1>;expires=10"), Flow, "1001");
        Assert.Equal(423, result.StatusCode);
        Assert.Equal(60, result.MinExpires);
    }

    [Fact]
    public void CutsLongExpiryToMaximum()
    {
        _registrar.Register(Register("1001", 1, contacts: "<sip:a@127.0.0.1:1>;expires=999999"), Flow, "1001");
        Assert.Equal(7200, _registrar.GetBindings("1001")[0].SecondsLeft(_time.GetUtcNow()));
    }

    [Fact]
    public void RefusesOutOfOrderRefreshFromSameCallId()
    {
        _registrar.Register(Register("1001", 5, contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");
        var result = _registrar.Register(Register("1001", 4, extra: "Expires: 0", contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");

        Assert.Equal(500, result.StatusCode);
        Assert.Single(_registrar.GetBindings("1001"));
    }

    [Fact]
    public void QueryWithoutContactListsBindingsAndChangesNothing()
    {
        _registrar.Register(Register("1001", 1, contacts: "<sip:a@127.0.0.1:1>"), Flow, "1001");
        var result = _registrar.Register(Register("1001", 2), Flow, "1001");

        Assert.Equal(200, result.StatusCode);
        Assert.Single(result.Bindings);
    }

    [Fact]
    public void RefusesMalformedContact()
    {
        var result = _registrar.Register(Register("1001", 1, contacts: "<sip:a@127.0.0.1:1"), Flow, "1001");
        Assert.Equal(400, result.StatusCode);
    }
}
