using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>The metadata store contract, on SQLite.</summary>
public sealed class SqliteMetadataStoreContractTests : MetadataStoreContractTests
{
    private readonly TempDataDirectory _directory = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override Task<IMetadataStore> OpenStoreAsync(TimeProvider time) =>
        Task.FromResult<IMetadataStore>(SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = time }));

    protected override Task<IMetadataStore> OpenStoreAgainAsync() => OpenStoreAsync(Time);
}
