using System.Xml.Linq;
using CallSwitch.TestSupport;

namespace CallSwitch.Compliance.Tests.Architecture;

/// <summary>
/// The dependency rule of src/ (src/ARCHITECTURE.md): every project reference points inward, along
/// an arrow of <see cref="Allowed"/>; a project not in the map fails until it is placed in it.
/// </summary>
public class ProjectReferenceTests
{
    /// <summary>What each project of src/ may reference (project names without the CallSwitch. prefix).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Sip"] = [],
        ["Media"] = [],
        ["Compliance"] = [],
        ["Configuration"] = ["Compliance"],
        ["Recording"] = ["Media", "Compliance"],
        ["Calls"] = ["Sip", "Media", "Recording", "Compliance", "Configuration"],
        ["Server"] = ["Sip", "Media", "Recording", "Compliance", "Configuration", "Calls"],

        // The retention sidecar runs beside the switch: never inside it, so never on Calls or Server.
        ["Retention"] = ["Compliance", "Recording", "Configuration"],
    };

    [Fact]
    public void EveryProjectOfSrcReferencesOnlyWhatTheMapAllows()
    {
        string src = Path.Combine(RepositoryRoot.Find(), "src");
        string[] projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories);
        Assert.Contains(projects, p => Path.GetFileNameWithoutExtension(p) == "CallSwitch.Calls");

        var violations = projects.SelectMany(p => Violations(Path.GetFileNameWithoutExtension(p), References(p))).ToList();

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void AnArrowOutsideTheMapAndAProjectNotInItAreReported()
    {
        Assert.Empty(Violations("CallSwitch.Retention", ["CallSwitch.Compliance", "CallSwitch.Recording", "CallSwitch.Configuration"]));
        Assert.Equal(
            ["CallSwitch.Retention references CallSwitch.Calls: not allowed (may reference Compliance, Recording, Configuration)"],
            Violations("CallSwitch.Retention", ["CallSwitch.Compliance", "CallSwitch.Calls"]));
        Assert.Equal(
            ["CallSwitch.Compliance references CallSwitch.Configuration: not allowed (may reference nothing)"],
            Violations("CallSwitch.Compliance", ["CallSwitch.Configuration"]));
        Assert.Equal(
            ["CallSwitch.Console is not in the dependency map: place it (ProjectReferenceTests.Allowed and src/ARCHITECTURE.md)"],
            Violations("CallSwitch.Console", []));
    }

    [Fact]
    public void ReferencesAreReadFromTheProjectFile()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("cs-arch-").FullName, "CallSwitch.Retention.csproj");
        try
        {
            File.WriteAllText(file, """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <PackageReference Include="Serilog" />
                    <ProjectReference Include="..\CallSwitch.Recording\CallSwitch.Recording.csproj" />
                    <ProjectReference Include="../CallSwitch.Calls/CallSwitch.Calls.csproj" />
                  </ItemGroup>
                </Project>
                """);

            Assert.Equal(["CallSwitch.Recording", "CallSwitch.Calls"], References(file));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static List<string> References(string projectFile) =>
        [.. XDocument.Load(projectFile).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/').Split('/')[^1]))];

    private static List<string> Violations(string project, IEnumerable<string> references)
    {
        if (!Allowed.TryGetValue(Short(project), out string[]? allowed))
        {
            return [$"{project} is not in the dependency map: place it (ProjectReferenceTests.Allowed and src/ARCHITECTURE.md)"];
        }

        string may = allowed.Length == 0 ? "nothing" : string.Join(", ", allowed);
        return [.. references
            .Where(r => !allowed.Contains(Short(r), StringComparer.Ordinal))
            .Select(r => $"{project} references {r}: not allowed (may reference {may})")];
    }

    private static string Short(string project) =>
        project.StartsWith("CallSwitch.", StringComparison.Ordinal) ? project["CallSwitch.".Length..] : project;
}
