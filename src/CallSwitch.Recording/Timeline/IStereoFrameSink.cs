namespace CallSwitch.Recording.Timeline;

/// <summary>Receives the recorder's 20 ms stereo frames, in timeline order, without gaps.</summary>
/// <remarks>
/// Called on the recorder's consumer thread only. The span is the recorder's buffer, valid
/// during the call: interleaved left (agent), right (prospect), 16-bit PCM at the recorder's
/// timeline rate.
/// </remarks>
public interface IStereoFrameSink
{
    /// <summary>Takes one frame of interleaved stereo samples.</summary>
    void OnFrame(ReadOnlySpan<short> interleaved);
}
