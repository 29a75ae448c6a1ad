using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using System.Net;

namespace CallSwitch.Configuration.Tests;

public class ConfigSchemaTests
{
    [Fact]
    public void ValidConfigurationLoadsWithDefaultsFilledAndNumbersInE164()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.Valid);

        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal("FR", config.Country);
        Assert.Equal(IPAddress.Any, config.Media.RtpAddress);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), config.Media.AdvertisedAddress);
        Assert.Equal((30000, 30010, 0), (config.Media.RtpPortMin, config.Media.RtpPortMax, config.Media.RtpTimeoutSeconds));

        TrunkConfig a = config.FindTrunk("carrier-a")!;
        Assert.Equal(("sip.carrier.example", 5060, TransportProtocol.Tcp), (a.Host, a.Port, a.Transport));
        Assert.Equal("acme", a.Username);
        Assert.Equal(ConfigYaml.TrunkPassword, a.Password!.Reveal());
        Assert.Equal("+33123456700", a.CallerId);
        Assert.Equal([CodecName.G722, CodecName.Pcma], a.Codecs);
        Assert.Equal((30, "acme.example"), (a.MaxChannels, a.FromDomain));
        TrunkConfig b = config.FindTrunk("carrier-b")!;
        Assert.Equal([CodecName.Pcma, CodecName.Pcmu], b.Codecs);
        Assert.Equal((5070, TransportProtocol.Udp, (Secret?)null), (b.Port, b.Transport, b.Password));

        CampaignConfig fr = config.FindCampaign("fr-sales")!;
        Assert.Null(fr.CallerId);
        Assert.Equal("+33123456700", config.EffectiveCallerId(fr));
        Assert.Equal(("fr", true, "801", true), (fr.Language, fr.AgentHearsAnnouncement, fr.DialPrefix, fr.AllowHeaderOverride));
        Assert.Equal(["en", "fr"], fr.Announcements.Keys.Order());
        RecordingRule rec = fr.Recording;
        Assert.Equal(("fr-sales", "fr-sales:sample:25"), (rec.CampaignId, rec.Id));
        Assert.Equal((RecordingMode.Sample, (int?)25, false, TimeSpan.FromMinutes(60)), (rec.Mode, rec.SamplePercent, rec.RecordAnnouncement, rec.MaxDuration));
        Assert.Equal(new DtmfKeys { Pause = "*7", Resume = "*8", Start = "#3", Opposition = "*99" }, rec.Keys);
        Assert.Equal('9', rec.ProspectOppositionKey);
        Assert.Equal(["training", "quality"], rec.Purposes);
        Assert.Equal((LegalBasis.LegitimateInterest, 30), (rec.LegalBasis, rec.RetentionDays));

        CampaignConfig uk = config.FindCampaign("uk-sales")!;
        Assert.Equal("+442079460000", config.EffectiveCallerId(uk));
        Assert.Equal(RecordingMode.Never, uk.Recording.Mode);
        Assert.Empty(uk.Announcements);

        AgentConfig agent = config.FindAgent("1001")!;
        Assert.Equal(("lyon", AgentRole.Agent), (agent.Team, agent.Role));
        Assert.Equal(["uk-sales", "fr-sales"], agent.Campaigns);
        Assert.Equal(AgentRole.Supervisor, config.FindAgent("2001")!.Role);

        Assert.Equal(new InboundRouteConfig { Did = "+33123456789", Team = "lyon", Campaign = "fr-sales" }, config.FindInbound("+33123456789"));
        Assert.Equal("2001", config.FindInbound("+33123456788")!.Agent);
    }

    [Fact]
    public void MediaRangeMustBeEvenAndHoldACall()
    {
        ConfigYaml.AssertError(ConfigYaml.With("rtp_port_min: 30000", "rtp_port_min: 30001"), "rtp_port_min", "must be even");
        ConfigYaml.AssertError(ConfigYaml.With("rtp_port_max: 30010", "rtp_port_max: 30002"), "rtp_port_max", "too small");
        ConfigYaml.AssertError(ConfigYaml.With("rtp_port_max: 30010", "rtp_port_max: 20000"), "rtp_port_max", "too small");
        ConfigYaml.AssertError(ConfigYaml.With("rtp_timeout_seconds: 0", "rtp_timeout_seconds: -1"), "rtp_timeout_seconds", "between 0 and");
    }

    [Fact]
    public void WildcardRtpAddressNeedsAnAdvertisedAddress()
    {
        ConfigYaml.AssertError(ConfigYaml.With("    advertised_address: 192.0.2.10\n", string.Empty), "rtp_address", "'advertised_address' is required");
        ConfigYaml.AssertError(ConfigYaml.With("advertised_address: 192.0.2.10", "advertised_address: 0.0.0.0"), "advertised_address", "not a wildcard");
    }

    [Fact]
    public void AdvertisedAddressDefaultsToTheRtpAddress()
    {
        var (config, errors) = ConfigYaml.Load(ConfigYaml.With("    rtp_address: 0.0.0.0\n    advertised_address: 192.0.2.10\n", "    rtp_address: 10.1.2.3\n"));
        Assert.Empty(errors);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), config!.Media.AdvertisedAddress);
    }

    [Fact]
    public void PathsAreRequiredAndNonEmpty()
    {
        ConfigYaml.AssertError(ConfigYaml.With("  paths:\n    spool: spool\n    data: ../data\n", string.Empty), "  listen:", "missing required key 'paths'");
        ConfigYaml.AssertError(ConfigYaml.With("spool: spool", "spool: \"\""), "spool: \"\"", "'spool' must not be empty");
        ConfigYaml.AssertError(ConfigYaml.With("    data: ../data\n", string.Empty), "    spool: spool", "missing required key 'data'");
    }

    [Fact]
    public void CountryMustBeAKnownRegion()
    {
        ConfigYaml.AssertError(ConfigYaml.With("country: FR", "country: XX"), "country: XX", "region code");
    }

    [Fact]
    public void NationalNumbersAreReadInTheConfiguredCountry()
    {
        string yaml = ConfigYaml.With("country: FR", "country: GB").Replace("\"01 23 45 67 89\"", "\"020 7946 0123\"", StringComparison.Ordinal)
            .Replace("\"0033 1 23 45 67 88\"", "\"+33 1 23 45 67 88\"", StringComparison.Ordinal);
        var (config, errors) = ConfigYaml.Load(yaml);
        Assert.Empty(errors);
        Assert.NotNull(config!.FindInbound("+442079460123"));
    }

    [Fact]
    public void TrunkErrorsAreReportedWhereTheyAre()
    {
        ConfigYaml.AssertError(ConfigYaml.With("transport: tcp", "transport: tls"), "transport: tls", "TLS trunks are not available");
        ConfigYaml.AssertError(ConfigYaml.With("transport: tcp", "transport: sctp"), "transport: sctp", "one of udp, tcp, tls");
        ConfigYaml.AssertError(ConfigYaml.With("codecs: [g722, pcma]", "codecs: [g722, g729]"), "codecs: [g722, g729]", "'g729' is not a codec");
        ConfigYaml.AssertError(ConfigYaml.With("codecs: [g722, pcma]", "codecs: [pcma, pcma]"), "codecs: [pcma, pcma]", "listed twice");
        ConfigYaml.AssertError(ConfigYaml.With("max_channels: 4", "max_channels: 0"), "max_channels: 0", "between 1 and");
        ConfigYaml.AssertError(ConfigYaml.With("    max_channels: 4\n", string.Empty), "  - id: carrier-b", "missing required key 'max_channels'");
        ConfigYaml.AssertError(ConfigYaml.With("host: sip.carrier.example", "host: \"bad host!\""), "host: \"bad host!\"", "host name or an IP address");
        ConfigYaml.AssertError(ConfigYaml.With("    username: acme\n", string.Empty), "password:", "no 'username'");
        ConfigYaml.AssertError(ConfigYaml.With("caller_id: \"+33 1 23 45 67 00\"", "caller_id: \"+33 1 23\""), "caller_id: \"+33 1 23\"", "not a usable phone number");
    }

    [Fact]
    public void TrunkIdsMustBeUnique()
    {
        string yaml = ConfigYaml.With("id: carrier-b", "id: carrier-a");
        var (config, errors) = ConfigYaml.Load(yaml);
        Assert.Null(config);
        Assert.Contains(errors, e => e.Line == ConfigYaml.LineOf(yaml, "  - id: carrier-a\n    host: 192") && e.Message.Contains("is given twice", StringComparison.Ordinal));
    }

    [Fact]
    public void TrunkPasswordComesFromTheEnvironmentWhenAsked()
    {
        string yaml = ConfigYaml.With("password: \"Carrier-S3cret!\"", "password_env: CARRIER_A_PASSWORD");
        var (config, errors) = ConfigYaml.Load(yaml, name => name == "CARRIER_A_PASSWORD" ? "from-env" : null);
        Assert.Empty(errors);
        Assert.Equal("from-env", config!.FindTrunk("carrier-a")!.Password!.Reveal());
        Assert.Equal("CARRIER_A_PASSWORD", config.FindTrunk("carrier-a")!.PasswordEnv);

        ConfigYaml.AssertError(yaml, "password_env", "'CARRIER_A_PASSWORD' (password of trunk 'carrier-a') is not set");
        ConfigYaml.AssertError(
            ConfigYaml.With("password: \"Carrier-S3cret!\"", "password: \"Carrier-S3cret!\"\n    password_env: X"),
            "password_env",
            "either 'password' or 'password_env'",
            _ => "x");
    }

    [Fact]
    public void TrunkPasswordIsNeverPrinted()
    {
        // A wrong value next to the password, an unknown key, a bad structure: no message shows it.
        string yaml = ConfigYaml.With("    username: acme\n", "    usrname: acme\n").Replace("max_channels: 30", "max_channels: lots", StringComparison.Ordinal);
        var (_, errors) = ConfigYaml.Load(yaml);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain(ConfigYaml.TrunkPassword, e.ToString(), StringComparison.Ordinal));

        var (config, _) = ConfigYaml.Load(ConfigYaml.Valid);
        TrunkConfig trunk = config!.FindTrunk("carrier-a")!;
        Assert.DoesNotContain(ConfigYaml.TrunkPassword, trunk.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigYaml.TrunkPassword, config.ToString(), StringComparison.Ordinal);
        Assert.Contains(Secret.Mask, trunk.ToString(), StringComparison.Ordinal);
        string shown = ConfigPrinter.Print(config);
        Assert.DoesNotContain(ConfigYaml.TrunkPassword, shown, StringComparison.Ordinal);
        Assert.Contains($"password: \"{Secret.Mask}\"", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void CampaignReferencesAndRulesAreChecked()
    {
        ConfigYaml.AssertError(ConfigYaml.With("trunk: carrier-b", "trunk: carrier-z"), "trunk: carrier-z", "trunk 'carrier-z', which is not defined (defined: carrier-a, carrier-b)");
        ConfigYaml.AssertError(ConfigYaml.With("id: uk-sales", "id: fr-sales"), "  - id: fr-sales\n    name: UK", "campaign id 'fr-sales' is given twice");
        ConfigYaml.AssertError(ConfigYaml.With("id: uk-sales", "id: \"uk sales\""), "id: \"uk sales\"", "may hold only letters");
        ConfigYaml.AssertError(ConfigYaml.With("language: en", "language: english!"), "language: english!", "not a language code");
        ConfigYaml.AssertError(ConfigYaml.With("dial_prefix: \"802\"", "dial_prefix: \"80\""), "dial_prefix: \"80\"", "overlaps campaign 'fr-sales''s prefix '801'");
        ConfigYaml.AssertError(ConfigYaml.With("dial_prefix: \"802\"", "dial_prefix: \"801\""), "dial_prefix: \"801\"\nagents:", "already used by campaign 'fr-sales'");
        ConfigYaml.AssertError(ConfigYaml.With("dial_prefix: \"802\"", "dial_prefix: \"8a\""), "dial_prefix: \"8a\"", "1 to 8 digits");
        ConfigYaml.AssertError(ConfigYaml.With("agent_hears_announcement: true", "agent_hears_announcement: maybe"), "agent_hears_announcement", "true or false");
    }

    [Fact]
    public void CampaignWithoutAnyCallerIdIsRefused()
    {
        string yaml = ConfigYaml.With("    caller_id: \"tel:+442079460000\"\n", string.Empty);
        ConfigYaml.AssertError(yaml, "  - id: uk-sales", "has no caller id: give 'caller_id' here or on trunk 'carrier-b'");
    }

    [Fact]
    public void AnnouncementFilesMustExist()
    {
        ConfigYaml.AssertError(ConfigYaml.With("en: announcements/gdpr-notice-en.wav", "en: announcements/missing.wav"), "missing.wav", "does not exist");
        ConfigYaml.AssertError(ConfigYaml.With("en: announcements/gdpr-notice-en.wav", "en: announcements/notice.mp3"), "notice.mp3", "must be a WAV file");
        ConfigYaml.AssertError(ConfigYaml.With("en: announcements/gdpr-notice-en.wav", "e_n: announcements/gdpr-notice-en.wav"), "e_n:", "not a language code");
    }

    [Fact]
    public void AbsoluteAnnouncementPathsAreUsedAsGiven()
    {
        string wav = TestFiles.WriteWav(Path.Combine(TestFiles.NewFolder(), "elsewhere.wav"));
        var (config, errors) = ConfigYaml.Load(ConfigYaml.With("en: announcements/gdpr-notice-en.wav", $"en: {wav}"));
        Assert.Empty(errors);
        Assert.Equal(wav, config!.FindCampaign("fr-sales")!.Announcements["en"]);
    }

    [Fact]
    public void ARecordingCampaignMustAnnounceInItsLanguage()
    {
        string yaml = ConfigYaml.With("      fr: announcements/gdpr-notice-fr.wav\n", string.Empty);
        // A mapping's position is that of its first key.
        ConfigYaml.AssertError(yaml, "      en: announcements", "no announcement for its language 'fr'");
    }

    [Fact]
    public void RecordingRulesAreChecked()
    {
        ConfigYaml.AssertError(ConfigYaml.With("mode: sample", "mode: sometimes"), "mode: sometimes", "one of always, on-demand, sample, never");
        ConfigYaml.AssertError(ConfigYaml.With("mode: sample", "mode: always"), "sample_percent", "applies only to mode sample");
        ConfigYaml.AssertError(ConfigYaml.With("      sample_percent: 25\n", string.Empty), "mode: sample", "missing required key 'sample_percent'");
        ConfigYaml.AssertError(ConfigYaml.With("sample_percent: 25", "sample_percent: 101"), "sample_percent", "between 0 and 100");
        ConfigYaml.AssertError(ConfigYaml.With("retention_days: 30", "retention_days: 3651"), "retention_days", "between 1 and 3650");
        ConfigYaml.AssertError(ConfigYaml.With("      retention_days: 30\n", string.Empty), "mode: sample", "missing required key 'retention_days'");
        ConfigYaml.AssertError(ConfigYaml.With("      legal_basis: legitimate-interest\n", string.Empty), "mode: sample", "missing required key 'legal_basis'");
        ConfigYaml.AssertError(ConfigYaml.With("legal_basis: legitimate-interest", "legal_basis: because"), "legal_basis", "consent, legitimate-interest, contract, legal-obligation");
        ConfigYaml.AssertError(ConfigYaml.With("purposes: [training, quality]", "purposes: []"), "purposes", "at least one entry in 'purposes'");
        ConfigYaml.AssertError(ConfigYaml.With("prospect_opposition_key: \"9\"", "prospect_opposition_key: \"99\""), "prospect_opposition_key", "one key of the keypad");
        ConfigYaml.AssertError(ConfigYaml.With("pause: \"*7\"", "pause: \"*A\""), "pause:", "1 to 8 keys among 0-9, * and #");
        ConfigYaml.AssertError(ConfigYaml.With("opposition: \"*99\"", "opposition: \"*77\""), "opposition:", "'pause' (*7) and 'opposition' (*77) clash");
        ConfigYaml.AssertError(ConfigYaml.With("max_minutes: 60", "max_mins: 60"), "max_mins", "unknown key 'max_mins' in 'recording'");
    }

    [Fact]
    public void NeverRecordingNeedsNoPurposeBasisOrRetention()
    {
        string yaml = ConfigYaml.With("dial_prefix: \"802\"", "dial_prefix: \"802\"\n    recording:\n      mode: never");
        var (config, errors) = ConfigYaml.Load(yaml);
        Assert.Empty(errors);
        Assert.Equal(RecordingMode.Never, config!.FindCampaign("uk-sales")!.Recording.Mode);
    }

    [Fact]
    public void AgentCampaignsMustExist()
    {
        ConfigYaml.AssertError(ConfigYaml.With("campaigns: [uk-sales, fr-sales]", "campaigns: [uk-sales, de-sales]"), "campaigns: [uk-sales, de-sales]", "campaign 'de-sales', which is not defined");
        ConfigYaml.AssertError(ConfigYaml.With("role: supervisor", "role: boss"), "role: boss", "one of agent, supervisor, admin");
        ConfigYaml.AssertError(ConfigYaml.With("team: lyon\n    campaigns", "team: \"lyon team\"\n    campaigns"), "team: \"lyon team\"", "may hold only letters");
    }

    [Fact]
    public void InboundTargetsMustExist()
    {
        ConfigYaml.AssertError(ConfigYaml.With("agent: \"2001\"", "agent: \"2002\""), "agent: \"2002\"", "agent '2002', which is not defined");
        ConfigYaml.AssertError(ConfigYaml.With("team: lyon\n    campaign:", "team: paris\n    campaign:"), "team: paris", "team 'paris', which no agent is in (defined: lyon)");
        ConfigYaml.AssertError(ConfigYaml.With("campaign: fr-sales", "campaign: de-sales"), "campaign: de-sales", "campaign 'de-sales', which is not defined");
        ConfigYaml.AssertError(ConfigYaml.With("agent: \"2001\"", "agent: \"2001\"\n    team: lyon"), "  - did: \"0033", "exactly one target");
        ConfigYaml.AssertError(ConfigYaml.With("\"0033 1 23 45 67 88\"", "\"+33 1 23 45 67 89\""), "did: \"+33 1 23 45 67 89\"", "+33123456789 is given twice");
        ConfigYaml.AssertError(ConfigYaml.With("\"0033 1 23 45 67 88\"", "\"12\""), "did: \"12\"", "not a usable phone number");
    }

    [Fact]
    public void UnknownKeysInNewSectionsAreErrors()
    {
        ConfigYaml.AssertError(ConfigYaml.With("rtp_timeout_seconds: 0", "rtp_timeout: 0"), "rtp_timeout: 0", "unknown key 'rtp_timeout' in 'media'");
        ConfigYaml.AssertError(ConfigYaml.With("from_domain: acme.example", "from_domian: acme.example"), "from_domian", "unknown key 'from_domian' in a trunk");
        ConfigYaml.AssertError(ConfigYaml.With("inbound:", "inbond:"), "inbond:", "unknown key 'inbond' in the configuration");
    }
}
