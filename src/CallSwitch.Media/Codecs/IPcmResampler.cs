namespace CallSwitch.Media.Codecs;

/// <summary>
/// A streaming PCM16 sample-rate converter. Stateful (filter history carries across calls so
/// consecutive frames join without clicks): one instance per stream, called by one thread.
/// </summary>
public interface IPcmResampler
{
    /// <summary>The input sample rate.</summary>
    int InputRate { get; }

    /// <summary>The output sample rate.</summary>
    int OutputRate { get; }

    /// <summary>Number of output samples produced for <paramref name="inputCount"/> input samples.</summary>
    int GetOutputCount(int inputCount);

    /// <summary>
    /// Converts <paramref name="input"/> into <paramref name="output"/> without allocating. Both
    /// spans are the caller's and are not retained.
    /// </summary>
    /// <returns>The number of samples written.</returns>
    int Process(ReadOnlySpan<short> input, Span<short> output);

    /// <summary>Clears the filter history.</summary>
    void Reset();
}
