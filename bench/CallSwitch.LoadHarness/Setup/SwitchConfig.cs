using System.Globalization;

namespace CallSwitch.LoadHarness.Setup;

/// <summary>
/// The temporary switch configuration: one UDP listener, the relay's port range, one trunk
/// (SIPp's UAS), one campaign that plays a short notice to both sides (the harness's sockets
/// learn the switch's ports from it) and records every call or none, one agent (1001) for the
/// calls nobody supervises; with supervision, one agent per supervised call (2001…) and its
/// supervisor (3001…), all of team "load". Spool and data folders are in the harness's temp
/// folder (the run folder), the config file in its own folder under it.
/// </summary>
internal static class SwitchConfig
{
    /// <summary>
    /// Makes the run's config folder, <c>config</c> under <paramref name="runFolder"/>, with the
    /// notice in it, and returns the config file's path. Apart from the run folder because the
    /// switch watches its config's folder and SIPp writes its logs in the run folder: their
    /// inotify events cost the switch ~3 % of its CPU at 300 set-ups per second
    /// (bench/notes/2026-12-07-call-setup-profile.md). Give the switch absolute spool and data folders.
    /// </summary>
    public static string PrepareConfigFolder(string runFolder)
    {
        string folder = Path.Combine(runFolder, "config");
        Directory.CreateDirectory(folder);
        WaveFile.WriteTone(Path.Combine(folder, "notice.wav"), TimeSpan.FromMilliseconds(200), 440);
        return Path.Combine(folder, "callswitch.yaml");
    }

    /// <summary>The spool folder, relative to the run folder.</summary>
    public const string Spool = "var/spool";

    /// <summary>The data folder (metadata store, wrapped keys), relative to the run folder.</summary>
    public const string Data = "var/data";

    /// <summary>The agent placing call <paramref name="call"/>: its own for the first <paramref name="monitored"/>, 1001 otherwise.</summary>
    public static string AgentOf(int call, int monitored) => call < monitored ? (2001 + call).ToString(CultureInfo.InvariantCulture) : "1001";

    /// <summary>The supervisor of supervised call <paramref name="call"/>.</summary>
    public static string SupervisorOf(int call) => (3001 + call).ToString(CultureInfo.InvariantCulture);

    /// <summary>An account's password (1001's is the demo one its hashes below were made from).</summary>
    public static string PasswordOf(string extension) => extension == "1001" ? "demo1001" : "load" + extension;

    public static string Yaml(int sipPort, int trunkPort, int rtpMin, int rtpMax, int channels, string logLevel, bool record, int monitored = 0, string spool = Spool, string data = Data, int? consolePort = null, int? apiPort = null) =>
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
            spool: {{spool}}
            data: {{data}}
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
            team: load
        {{Accounts(monitored)}}
        {{(consolePort is { } port ? "\nconsole:\n  address: 127.0.0.1\n  port: " + port.ToString(CultureInfo.InvariantCulture) + "\n" : string.Empty)}}
        {{(apiPort is { } api ? Api(api) : string.Empty)}}
        """);

    // The HTTP API on loopback for its /metrics (open, like Prometheus scrapes it); the section
    // needs a client, whose token nobody holds: the harness calls no API route.
    private static string Api(int port) => string.Create(CultureInfo.InvariantCulture, $"""

        api:
          address: 127.0.0.1
          port: {port}
          clients:
            - id: load-harness
              token_sha256: {Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}

        """);

    // One agent per supervised call and one supervisor for it, passwords hashed as the switch
    // expects (HA1 = H(extension:realm:password), realm "callswitch").
    private static string Accounts(int monitored)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < monitored; i++)
        {
            foreach ((string extension, string role) in new[] { (AgentOf(i, monitored), "agent"), (SupervisorOf(i), "supervisor") })
            {
                byte[] credentials = System.Text.Encoding.UTF8.GetBytes($"{extension}:callswitch:{PasswordOf(extension)}");
                text.Append(CultureInfo.InvariantCulture, $"""
                      - extension: "{extension}"
                        ha1_md5: {Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(credentials))}
                        ha1_sha256: {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(credentials))}
                        campaigns: [load]
                        role: {role}
                        team: load

                    """);
            }
        }

        return text.ToString().TrimEnd();
    }

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
