namespace CallSwitch.Compliance.Storage;

/// <summary>
/// Annotations of recordings. Whether a user may annotate is the authorisation service's
/// decision (<see cref="Access.AccessAction.Annotate"/>), asked before calling here.
/// </summary>
/// <remarks>Thread-safe. Writes go through the store's single writer.</remarks>
public interface IAnnotationStore
{
    /// <summary>The longest annotation kept, in characters.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>Adds an annotation; returns it as stored, or null when no recording has this id.</summary>
    /// <exception cref="ArgumentException">The text is blank or too long, the author blank, or the position negative.</exception>
    Task<RecordingAnnotation?> AddAnnotationAsync(Guid recordingId, TimeSpan position, string author, string text, CancellationToken cancellationToken = default);

    /// <summary>A recording's annotations, by position.</summary>
    Task<IReadOnlyList<RecordingAnnotation>> ListAnnotationsAsync(Guid recordingId, CancellationToken cancellationToken = default);
}
