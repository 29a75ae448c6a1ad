namespace CallSwitch.TestSupport.Media;

/// <summary>One RTP packet as a test peer received it.</summary>
public sealed record ReceivedRtp(int PayloadType, bool Marker, ushort Sequence, uint Timestamp, uint Ssrc, byte[] Payload)
{
    /// <summary>When the packet arrived.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}
