namespace CallSwitch.Recording.Timeline;

/// <summary>What the recorder did with one party's PCM packet.</summary>
public enum PacketPlacement
{
    /// <summary>Placed on the timeline at its RTP timestamp.</summary>
    Placed = 0,

    /// <summary>Placed after re-anchoring the party's timestamps (first packet, new SSRC, jump).</summary>
    Resynchronized = 1,

    /// <summary>Arrived after its place on the timeline was written out: dropped (its span is silence).</summary>
    Late = 2,
}
