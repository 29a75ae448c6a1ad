using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Compliance.Tests.Storage;

/// <summary>Annotations of recordings at a time position (schema step 8): kept by position, refused for an unknown recording or a bad text.</summary>
public sealed class SqliteAnnotationTests : IDisposable
{
    private readonly TempDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AnnotationsAreKeptWithAuthorTimeAndPositionAndListedByPosition()
    {
        var time = new FakeTimeProvider(StoreSamples.T0);
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path, Time = time });
        NewRecording recording = await StoreSamples.AddAsync(store);
        NewRecording other = await StoreSamples.AddAsync(store);

        RecordingAnnotation late = Assert.IsType<RecordingAnnotation>(await store.AddAnnotationAsync(recording.Id, TimeSpan.FromSeconds(42.5), "quality", "rappel des conditions"));
        time.Advance(TimeSpan.FromMinutes(1));
        RecordingAnnotation early = Assert.IsType<RecordingAnnotation>(await store.AddAnnotationAsync(recording.Id, TimeSpan.FromSeconds(3), "manager", "présentation"));
        await store.AddAnnotationAsync(other.Id, TimeSpan.Zero, "quality", "another recording's");

        IReadOnlyList<RecordingAnnotation> notes = await store.ListAnnotationsAsync(recording.Id);
        Assert.Equal([early, late], notes);
        Assert.Equal(TimeSpan.FromSeconds(3), notes[0].Position);
        Assert.Equal("manager", notes[0].Author);
        Assert.Equal(StoreSamples.T0.AddMinutes(1), notes[0].CreatedAt);
        Assert.True(notes[1].Id < notes[0].Id);
    }

    [Fact]
    public async Task AnUnknownRecordingOrABadTextIsRefusedAndNothingIsWritten()
    {
        await using SqliteMetadataStore store = SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = _directory.Path });
        NewRecording recording = await StoreSamples.AddAsync(store);

        Assert.Null(await store.AddAnnotationAsync(Guid.NewGuid(), TimeSpan.Zero, "quality", "nowhere"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAnnotationAsync(recording.Id, TimeSpan.Zero, "quality", "  "));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAnnotationAsync(recording.Id, TimeSpan.Zero, "quality", new string('x', IAnnotationStore.MaxTextLength + 1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AddAnnotationAsync(recording.Id, TimeSpan.FromSeconds(-1), "quality", "before the start"));
        Assert.Empty(await store.ListAnnotationsAsync(recording.Id));
    }
}
