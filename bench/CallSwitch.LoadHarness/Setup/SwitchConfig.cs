using System.Globalization;

namespace CallSwitch.LoadHarness.Setup;

/// <summary>
/// The temporary switch configuration: one UDP listener, the relay's port range, one trunk
/// (SIPp's UAS), one campaign that does not record and plays a short notice to both sides
/// (the harness's sockets learn the switch's ports from it), one agent (1001).
/// </summary>
internal static class SwitchConfig
{
    public static string Yaml(int sipPort, int trunkPort, int rtpMin, int rtpMax, int channels, string logLevel) =>
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
            spool: var/spool
            data: var/data
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
              mode: never

        agents:
          - extension: "1001"
            display_name: Load Agent
            ha1_md5: a5ea1788971560c767244159a8053208
            ha1_sha256: 2050e04bc7496c33394cdc271b997090e20cb9cd7e48efcea50f15513b1048a4
            campaigns: [load]
            role: agent
        """);
}
