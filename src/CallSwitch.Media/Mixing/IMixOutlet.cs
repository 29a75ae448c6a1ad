namespace CallSwitch.Media.Mixing;

/// <summary>Where a mixed stream goes: the supervisor's own RTP socket (or a test's capture).</summary>
/// <remarks>
/// Called on the mixer's tick thread. The packet is the mixer's buffer, valid only during the
/// call: send or copy it and return at once; never block, never throw.
/// </remarks>
public interface IMixOutlet
{
    /// <summary>Sends one whole RTP packet (header written by the mixer: its SSRC, sequence, timestamp).</summary>
    /// <returns>False when it was not sent (no destination yet, send error); the mixer counts it.</returns>
    bool Send(Span<byte> rtpPacket);
}
