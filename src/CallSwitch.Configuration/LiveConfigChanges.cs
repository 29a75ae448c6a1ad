using CallSwitch.Configuration;

namespace CallSwitch.Configuration;

/// <summary>
/// Decides what of a new configuration a running switch can take. Agents, trunks, campaigns,
/// inbound numbers and the country are read per call and swap live. Sockets (listeners, the RTP
/// range, the API's address), the realm, limits, auth, registrar, supervision codes, paths and logging are fixed when the switch
/// starts, so their changes wait for a restart.
/// </summary>
public static class LiveConfigChanges
{
    /// <summary>The sections that differ and cannot be applied live, by their YAML names.</summary>
    public static IReadOnlyList<string> RestartRequired(SwitchConfig running, SwitchConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        var result = new List<string>();
        if (!running.Listen.SequenceEqual(loaded.Listen))
        {
            result.Add("switch.listen");
        }

        if (running.Media != loaded.Media)
        {
            result.Add("switch.media");
        }

        if (running.Paths != loaded.Paths)
        {
            result.Add("switch.paths");
        }

        if (running.Realm != loaded.Realm)
        {
            result.Add("switch.realm");
        }

        if (running.UserAgent != loaded.UserAgent)
        {
            result.Add("switch.user_agent");
        }

        if (running.Limits != loaded.Limits)
        {
            result.Add("switch.limits");
        }

        if (running.Auth != loaded.Auth)
        {
            result.Add("switch.auth");
        }

        if (running.Registrar != loaded.Registrar)
        {
            result.Add("switch.registrar");
        }

        if (running.Supervision != loaded.Supervision)
        {
            // The codes and keys are read once, when the switch starts its supervisor calls.
            result.Add("supervision");
        }

        if (!Equals(running.Api?.Address, loaded.Api?.Address) || running.Api?.Port != loaded.Api?.Port)
        {
            result.Add("api.address/port");
        }

        if (running.Console != loaded.Console)
        {
            // Its socket and session settings are fixed when the host starts.
            result.Add("console");
        }

        if (running.Logging != loaded.Logging)
        {
            result.Add("logging");
        }

        return result;
    }

    /// <summary>The configuration to run: the loaded one, with the start-time sections of the running one.</summary>
    public static SwitchConfig Merge(SwitchConfig running, SwitchConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        return loaded with
        {
            Listen = running.Listen,
            Media = running.Media,
            Paths = running.Paths,
            Realm = running.Realm,
            UserAgent = running.UserAgent,
            Limits = running.Limits,
            Auth = running.Auth,
            Registrar = running.Registrar,
            Supervision = running.Supervision,
            Logging = running.Logging,
            Console = running.Console,

            // The API's socket is fixed; its clients swap live (a removed section leaves it with none: every request refused).
            Api = running.Api is null ? null : (loaded.Api ?? running.Api with { Clients = [] }) with { Address = running.Api.Address, Port = running.Api.Port },
        };
    }
}
