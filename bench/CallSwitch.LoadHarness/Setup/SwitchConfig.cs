using System.Globalization;

namespace CallSwitch.LoadHarness.Setup;

/// <summary>
/// The temporary switch configuration: one UDP listener, the relay's port range, one trunk
/// (SIPp's UAS), one campaign that plays a short notice to both sides (the harness's sockets
/// learn the switch's ports from it) and records every call or none, one agent (1001). Spool
/// and data folders are relative to the config file, i.e. in the harness's temp folder.
/// </summary>
internal static class SwitchConfig
{
    /// <summary>The spool folder, relative to the config file.</summary>
    public const string Spool = "var/spool";

    /// <summary>The data folder (metadata store, wrapped keys), relative to the config file.</summary>
    public const string Data = "var/data";

    public static string Yaml(int sipPort, int trunkPort, int rtpMin, int rtpMax, int channels, string logLevel, bool record, int? consolePort = null) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        # Written by CallSwitch.LoadHarness for one run.
        switch:
          realm: callswitch
          user_agent: CallSwitch
          listen:
            - protocol: udp
              address: 127.0.0.1
              port: {{sipPort}}
          media:
            rtp_address: 127.0.0.1
            rtp_port_min: {{rtpMin}}
            rtp_port_max: {{rtpMax}}
            rtp_timeout_seconds: 120
          paths:
            spool: {{Spool}}
            data: {{Data}}
          country: FR

        logging:
          level: {{logLevel}}
          format: text

        trunks:
          - id: load-trunk
            host: 127.0.0.1
            port: {{trunkPort}}
            transport: udp
            caller_id: "+33 1 23 45 67 00"
            codecs: [pcmu]
            max_channels: {{channels}}

        campaigns:
          - id: load
            name: Load harness
            trunk: load-trunk
            language: en
            announcement:
              en: notice.wav
            agent_hears_announcement: true
            recording:
        {{(record ? Recording : "      mode: never")}}

        agents:
          - extension: "1001"
            display_name: Load Agent
            ha1_md5: a5ea1788971560c767244159a8053208
            ha1_sha256: 2050e04bc7496c33394cdc271b997090e20cb9cd7e48efcea50f15513b1048a4
            campaigns: [load]
            role: agent
        {{(consolePort is { } port ? "\nconsole:\n  address: 127.0.0.1\n  port: " + port.ToString(CultureInfo.InvariantCulture) + "\n" : string.Empty)}}
        """);

    // Every call recorded from the answer (the notice included), as a campaign in production
    // would; the store keeps a row only with a legal basis and a retention period.
    private const string Recording = """
              mode: always
              record_announcement: true
              max_minutes: 120
              purposes: [load test]
              legal_basis: legitimate-interest
              retention_days: 1
        """;
}
