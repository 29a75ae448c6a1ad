using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;
using CallSwitch.Sip.Auth;
using CallSwitch.Sip.Parsing;
using CallSwitch.Sip.Transport;
using Serilog.Events;

namespace CallSwitch.Server.Tests.Configuration;

public class SwitchConfigMapperTests
{
    [Fact]
    public void MapsEveryProtocolAlgorithmAndLevel()
    {
        Assert.Equal([SipProtocol.Udp, SipProtocol.Tcp, SipProtocol.Tls], Enum.GetValues<TransportProtocol>().Select(SwitchConfigMapper.ToSipProtocol));
        Assert.Equal([DigestAlgorithm.Sha256, DigestAlgorithm.Md5], SwitchConfigMapper.ToDigestAlgorithms([ChallengeAlgorithm.Sha256, ChallengeAlgorithm.Md5]));
        Assert.Equal(
            [LogEventLevel.Verbose, LogEventLevel.Debug, LogEventLevel.Information, LogEventLevel.Warning, LogEventLevel.Error, LogEventLevel.Fatal],
            Enum.GetValues<LogLevel>().Select(SwitchConfigMapper.ToLogEventLevel));
    }

    [Fact]
    public void ParserLimitsKeepTheHeadWithinTheMessage()
    {
        Assert.Equal(SipParserLimits.Default, SwitchConfigMapper.ToParserLimits(new ParserLimitsConfig()));
        SipParserLimits small = SwitchConfigMapper.ToParserLimits(new ParserLimitsConfig { MaxMessageBytes = 4096, MaxHeaderCount = 32, MaxHeaderLineBytes = 512 });
        Assert.Equal((4096, 4096, 32, 512), (small.MaxMessageBytes, small.MaxHeadBytes, small.MaxHeaderCount, small.MaxHeaderLineBytes));
    }

    [Fact]
    public void RegistrarAndAgentsCarryEveryField()
    {
        var registrar = SwitchConfigMapper.ToRegistrarSettings(new RegistrarConfig { DefaultExpires = 600, MinExpires = 30, MaxExpires = 900, MaxContacts = 2 });
        Assert.Equal((600, 30, 900, 2), (registrar.DefaultExpires, registrar.MinExpires, registrar.MaxExpires, registrar.MaxContactsPerUser));

        var directory = SwitchConfigMapper.ToAgentDirectory(
        [
            new AgentConfig { Extension = "1001", DisplayName = "Alice", Ha1Md5 = "aa", Team = "paris", Campaigns = ["b", "a"], Role = AgentRole.Supervisor },
        ]);
        var agent = directory.Find("1001")!;
        Assert.Equal(("Alice", "aa", (string?)null, "paris", AgentRole.Supervisor), (agent.DisplayName, agent.Ha1Md5, agent.Ha1Sha256, agent.Team, agent.Role));
        Assert.Equal(["b", "a"], agent.Campaigns);
        Assert.Equal("b", agent.DefaultCampaign);
    }
}
