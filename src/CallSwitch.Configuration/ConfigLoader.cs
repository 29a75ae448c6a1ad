using CallSwitch.Compliance.Numbers;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CallSwitch.Configuration;

/// <summary>
/// Loads the YAML configuration and checks all of it — types, ranges, unknown keys, references
/// between trunks, campaigns, agents and inbound numbers, announcement files, phone numbers —
/// reporting every error with file, line and column. A file with any error yields no
/// configuration: the caller keeps what it runs. Thread-safe (no shared state).
/// </summary>
public static class ConfigLoader
{
    /// <summary>The top-level keys of a configuration file.</summary>
    private static readonly string[] TopLevelKeys = ["switch", "logging", "api", "retention", "trunks", "campaigns", "agents", "inbound", "supervision", "private_calls", "console"];

    /// <summary>Loads a file; errors include a missing or unreadable file. Relative paths start at the file's folder unless the options say otherwise.</summary>
    public static ConfigLoadResult LoadFile(string path, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigError(path, 0, 0, $"cannot read the file: {e.Message}")]);
        }

        options ??= new ConfigLoadOptions();
        if (options.BaseDirectory is null)
        {
            options = options with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) };
        }

        return Load(text, path, options);
    }

    /// <summary>Parses and checks configuration text; <paramref name="file"/> is the name shown in errors.</summary>
    public static ConfigLoadResult Load(string text, string file, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        options ??= new ConfigLoadOptions();
        var errors = new List<ConfigError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            string message = e.InnerException?.Message ?? e.Message;
            errors.Add(new ConfigError(file, e.Start.Line, e.Start.Column, $"not valid YAML: {message}"));
            return new ConfigLoadResult(null, errors);
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new ConfigError(file, 1, 1, "expected exactly one YAML document"));
            return new ConfigLoadResult(null, errors);
        }

        var r = new YamlNodeReader(file, errors);
        YamlMappingNode? root = r.Mapping(stream.Documents[0].RootNode, "the configuration");
        if (root is null)
        {
            return new ConfigLoadResult(null, errors);
        }

        var ctx = new ConfigReadContext(r, options.BaseDirectory ?? Directory.GetCurrentDirectory(), options.GetEnvironmentVariable);
        SwitchConfig config = Read(ctx, root);

        // Sections are read in dependency order; errors are shown in file order.
        return errors.Count == 0
            ? new ConfigLoadResult(config, errors)
            : new ConfigLoadResult(null, [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }

    private static SwitchConfig Read(ConfigReadContext ctx, YamlMappingNode root)
    {
        YamlNodeReader r = ctx.Reader;
        r.CheckKeys(root, "the configuration", TopLevelKeys);
        YamlMappingNode? sw = r.Mapping(r.Child(root, "switch"), "'switch'");
        if (sw is not null)
        {
            r.CheckKeys(sw, "'switch'", SwitchSectionReader.Keys);
        }
        else if (r.Child(root, "switch") is null)
        {
            r.Error(root, "missing required key 'switch'");
        }

        // Phone numbers anywhere below are read in this country, so it comes first.
        string country = SwitchSectionReader.ReadCountry(ctx, sw);
        ctx.Numbers = new PhoneNumberNormalizer(country);

        // Sections are read in dependency order, so that each reference can be checked (and
        // reported at its own line) against what is already read: campaigns name trunks,
        // agents name campaigns, inbound numbers name agents, teams and campaigns.
        var trunks = TrunkSectionReader.Read(ctx, r.Sequence(r.Child(root, "trunks"), "'trunks'"));
        var campaigns = CampaignSectionReader.Read(ctx, r.Sequence(r.Child(root, "campaigns"), "'campaigns'"), trunks);
        var supervision = SupervisionSectionReader.Read(r, r.Mapping(r.Child(root, "supervision"), "'supervision'"));
        var agents = AgentSectionReader.Read(ctx, r.Sequence(r.Child(root, "agents"), "'agents'"), campaigns, supervision);
        var inbound = InboundSectionReader.Read(ctx, r.Sequence(r.Child(root, "inbound"), "'inbound'"), agents, campaigns);
        var api = ApiSectionReader.Read(ctx, r.Mapping(r.Child(root, "api"), "'api'"), agents);

        return new SwitchConfig
        {
            Realm = r.String(sw, "realm", "callswitch")!,
            UserAgent = r.String(sw, "user_agent", "CallSwitch")!,
            Listen = SwitchSectionReader.ReadListen(ctx, sw),
            Limits = SwitchSectionReader.ReadLimits(r, r.Mapping(r.Child(sw, "limits"), "'limits'")),
            Auth = SwitchSectionReader.ReadAuth(r, r.Mapping(r.Child(sw, "auth"), "'auth'")),
            Registrar = SwitchSectionReader.ReadRegistrar(r, r.Mapping(r.Child(sw, "registrar"), "'registrar'")),
            Media = SwitchSectionReader.ReadMedia(ctx, r.Mapping(r.Child(sw, "media"), "'media'")),
            Paths = SwitchSectionReader.ReadPaths(ctx, sw),
            Country = country,
            Logging = SwitchSectionReader.ReadLogging(r, r.Mapping(r.Child(root, "logging"), "'logging'")),
            Trunks = trunks,
            Campaigns = campaigns,
            Agents = agents,
            Inbound = inbound,
            Api = api,
            Retention = RetentionSectionReader.Read(r, r.Mapping(r.Child(root, "retention"), "'retention'")),
            Supervision = supervision,
            PrivateCalls = PrivateCallsSectionReader.Read(r, r.Mapping(r.Child(root, "private_calls"), "'private_calls'"), campaigns, supervision, agents),
            Console = ConsoleSectionReader.Read(ctx, r.Mapping(r.Child(root, "console"), "'console'")),
        };
    }
}
