using System.Globalization;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>Reads 'api': the HTTP API's address and port, and its clients with the SHA-256 of their tokens.</summary>
internal static class ApiSectionReader
{
    public static ApiConfig? Read(ConfigReadContext ctx, YamlMappingNode? m, IReadOnlyList<AgentConfig> agents)
    {
        YamlNodeReader r = ctx.Reader;
        if (m is null)
        {
            return null;
        }

        r.CheckKeys(m, "'api'", "address", "port", "clients");
        var d = new ApiConfig();
        IPAddress address = ctx.Address(m, "address", d.Address) ?? d.Address;
        int port = r.Int(m, "port", d.Port, 0, 65535);
        var clients = new List<ApiClientConfig>();
        YamlSequenceNode? list = r.Sequence(r.Child(m, "clients"), "'clients'");
        if (list is null || list.Children.Count == 0)
        {
            r.Error(r.Child(m, "clients") ?? m, "'api' needs at least one client in 'clients' (id and token_sha256; `callswitch api-token` makes one)");
        }

        foreach (YamlNode item in list?.Children ?? [])
        {
            YamlMappingNode? c = r.Mapping(item, "an API client");
            if (c is null)
            {
                continue;
            }

            r.CheckKeys(c, "an API client", "id", "token_sha256", "agents");
            string? id = ctx.Token(c, "id", "an API client's id", required: true);
            byte[]? hash = ReadHash(r, c);
            var scope = new List<string>();
            foreach ((string extension, YamlNode node) in r.Strings(c, "agents") ?? [])
            {
                if (!agents.Any(a => a.Extension == extension))
                {
                    r.Error(node, $"API client '{id}' may act for agent '{extension}', which is not defined ({AgentSectionReader.Known(agents.Select(a => a.Extension))})");
                }

                scope.Add(extension);
            }

            if (id is not null && clients.Any(x => x.Id == id))
            {
                r.Error(r.Child(c, "id")!, $"API client '{id}' is given twice");
            }
            else if (hash is not null && clients.Any(x => x.TokenSha256.SequenceEqual(hash)))
            {
                r.Error(r.Child(c, "token_sha256")!, $"API client '{id}' has the same token as another client; give each client its own");
            }
            else if (id is not null && hash is not null)
            {
                clients.Add(new ApiClientConfig { Id = id, TokenSha256 = hash, Agents = scope });
            }
        }

        return new ApiConfig { Address = address, Port = port, Clients = clients };
    }

    private static byte[]? ReadHash(YamlNodeReader r, YamlMappingNode c)
    {
        string? text = r.String(c, "token_sha256", required: true);
        if (text is null)
        {
            return null;
        }

        if (text.Length != 64 || !text.All(char.IsAsciiHexDigit))
        {
            r.Error(r.Child(c, "token_sha256")!, "'token_sha256' must be the SHA-256 of the client's token, 64 hex digits (`callswitch api-token` makes a token and its hash)");
            return null;
        }

        return Convert.FromHexString(text.ToLower(CultureInfo.InvariantCulture));
    }
}
