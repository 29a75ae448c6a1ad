namespace CallSwitch.Compliance.Storage;

/// <summary>A note a reviewer left on a recording at a time position (the seed's "comment directly in the tool").</summary>
/// <param name="Id">The annotation's number, in order of writing.</param>
/// <param name="RecordingId">The recording.</param>
/// <param name="Position">Where in the audio, from its start.</param>
/// <param name="Author">The user who wrote it.</param>
/// <param name="Text">What they wrote.</param>
/// <param name="CreatedAt">When.</param>
public sealed record RecordingAnnotation(long Id, Guid RecordingId, TimeSpan Position, string Author, string Text, DateTimeOffset CreatedAt);
