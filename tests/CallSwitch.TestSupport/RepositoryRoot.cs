namespace CallSwitch.TestSupport;

/// <summary>The repository checkout the tests run from (for shipped files: config/, samples/).</summary>
public static class RepositoryRoot
{
    /// <summary>The folder holding CallSwitch.sln, above the test's output folder.</summary>
    public static string Find()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CallSwitch.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root (CallSwitch.sln) not found above " + AppContext.BaseDirectory);
    }
}
