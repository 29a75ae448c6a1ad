namespace CallSwitch.Media.Relay;

/// <summary>The identity transcoder: copies the payload. Stateless, so one instance serves every call.</summary>
public sealed class PassThroughTranscoder : IPayloadTranscoder
{
    /// <summary>The shared instance.</summary>
    public static PassThroughTranscoder Instance { get; } = new();

    /// <inheritdoc />
    public int GetMaxOutputLength(int inputLength) => inputLength;

    /// <inheritdoc />
    public int Transcode(ReadOnlySpan<byte> inputPayload, Span<byte> outputPayload)
    {
        inputPayload.CopyTo(outputPayload);
        return inputPayload.Length;
    }
}
