namespace CallSwitch.Media.Mixing;

/// <summary>
/// A consumer of a monitored call's listen feed: both parties mixed, one 20 ms frame of
/// 16-bit PCM at <see cref="SupervisionMixer.SampleRate"/> per tick (the web console's live
/// listening, a supervisor's softphone).
/// </summary>
/// <remarks>
/// Contract: <see cref="OnFrame"/> is called on the mixer's tick thread, once per tick, with
/// the mixer's buffer, valid only during the call: copy what you need and return at once;
/// never block, never throw. A sink that cannot keep up drops and counts.
/// </remarks>
public interface IPcmFrameSink
{
    /// <summary>Offers one frame of <see cref="SupervisionMixer.FrameSamples"/> samples; see the interface remarks.</summary>
    /// <param name="pcm">The mixed frame; borrowed, not owned.</param>
    /// <param name="tickIndex">The media clock's tick number (gaps mean skipped ticks).</param>
    void OnFrame(ReadOnlySpan<short> pcm, long tickIndex);
}
