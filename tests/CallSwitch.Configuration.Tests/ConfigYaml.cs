using CallSwitch.Configuration;

namespace CallSwitch.Configuration.Tests;

/// <summary>A complete valid configuration, and helpers to load variants of it.</summary>
internal static class ConfigYaml
{
    public const string TrunkPassword = "Carrier-S3cret!";

    public const string Valid = """
        switch:
          listen:
            - protocol: udp
              port: 0
          media:
            rtp_address: 0.0.0.0
            advertised_address: 192.0.2.10
            rtp_port_min: 30000
            rtp_port_max: 30010
            rtp_timeout_seconds: 0
          paths:
            spool: spool
            data: ../data
          country: FR
        trunks:
          - id: carrier-a
            host: sip.carrier.example
            transport: tcp
            username: acme
            password: "Carrier-S3cret!"
            caller_id: "+33 1 23 45 67 00"
            codecs: [g722, pcma]
            max_channels: 30
            from_domain: acme.example
          - id: carrier-b
            host: 192.0.2.50
            port: 5070
            max_channels: 4
        campaigns:
          - id: fr-sales
            name: Ventes France
            trunk: carrier-a
            language: fr
            announcement:
              fr: announcements/gdpr-notice-fr.wav
              en: announcements/gdpr-notice-en.wav
            agent_hears_announcement: true
            dial_prefix: "801"
            allow_header_override: true
            recording:
              mode: sample
              sample_percent: 25
              record_announcement: false
              max_minutes: 60
              dtmf:
                pause: "*7"
                resume: "*8"
                start: "#3"
                opposition: "*99"
              prospect_opposition_key: "9"
              purposes: [training, quality]
              legal_basis: legitimate-interest
              retention_days: 30
          - id: uk-sales
            name: UK sales
            trunk: carrier-b
            caller_id: "tel:+442079460000"
            language: en
            dial_prefix: "802"
        agents:
          - extension: "1001"
            ha1_md5: a5ea1788971560c767244159a8053208
            team: lyon
            campaigns: [uk-sales, fr-sales]
          - extension: "2001"
            ha1_sha256: 2050e04bc7496c33394cdc271b997090e20cb9cd7e48efcea50f15513b1048a4
            role: supervisor
        inbound:
          - did: "01 23 45 67 89"
            team: lyon
            campaign: fr-sales
          - did: "0033 1 23 45 67 88"
            agent: "2001"
        """;

    /// <summary>Loads <paramref name="yaml"/> as if it were a file in a folder holding the shipped announcements.</summary>
    public static ConfigLoadResult Load(string yaml, Func<string, string?>? environment = null, string? folder = null) =>
        ConfigLoader.Load(yaml, "test.yaml", new ConfigLoadOptions
        {
            BaseDirectory = folder ?? TestFiles.NewConfigFolder(),
            GetEnvironmentVariable = environment ?? (_ => null),
        });

    /// <summary>The valid configuration with one piece of text replaced (which must be there).</summary>
    public static string With(string find, string replace)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        return Valid.Replace(find, replace, StringComparison.Ordinal);
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="text"/>.</summary>
    public static int LineOf(string yaml, string text)
    {
        int index = yaml.IndexOf(text, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{text}' is not in the YAML");
        return yaml[..index].Count(c => c == '\n') + 1;
    }

    /// <summary>Asserts that loading failed with an error on the line of <paramref name="at"/> whose message holds <paramref name="message"/>.</summary>
    public static void AssertError(string yaml, string at, string message, Func<string, string?>? environment = null)
    {
        var (config, errors) = Load(yaml, environment);
        Assert.Null(config);
        int line = LineOf(yaml, at);
        Assert.True(
            errors.Any(e => e.Line == line && e.Message.Contains(message, StringComparison.Ordinal)),
            $"expected an error on line {line} containing \"{message}\"; got:\n{string.Join('\n', errors)}");
    }
}
