namespace CallSwitch.Media.Relay;

/// <summary>
/// A consumer of a leg's RTP packets (recorder, monitor). Forking is a list of sinks per leg;
/// the relay calls each one in turn and never waits for any of them.
/// </summary>
/// <remarks>
/// Contract: <see cref="OnPacket"/> is called synchronously on the relay's receive thread (or
/// on an announcement source's thread for injected packets), possibly from two threads at
/// once for the two directions. The span is the relay's buffer and is valid only during the
/// call: copy what you need and return at once; never block, never throw. A sink that cannot
/// keep up drops and counts (see <see cref="BoundedCopySink"/>).
/// </remarks>
public interface IMediaSink
{
    /// <summary>Offers one RTP packet; see the interface remarks for the contract.</summary>
    /// <param name="rtpPacket">The whole RTP packet, header included; borrowed, not owned.</param>
    /// <param name="direction">Received from, or sent to, the leg's peer.</param>
    void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction);
}
