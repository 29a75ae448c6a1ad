using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>The audited access point, over the SQLite store.</summary>
public sealed class SqliteRecordingAccessContractTests : RecordingAccessContractTests
{
    private readonly TempDataDirectory _directory = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override Task<IMetadataStore> OpenStoreAsync(TimeProvider time) =>
        Task.FromResult<IMetadataStore>(SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = time }));
}
