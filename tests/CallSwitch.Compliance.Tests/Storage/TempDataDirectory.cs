namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>A data directory of its own for one test, deleted afterwards.</summary>
internal sealed class TempDataDirectory : IDisposable
{
    public TempDataDirectory()
    {
        Path = Directory.CreateTempSubdirectory("callswitch-store-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
