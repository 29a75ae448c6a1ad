namespace CallSwitch.Media.Relay;

/// <summary>Which way a packet handed to a sink travels, seen from the leg the sink is attached to.</summary>
public enum MediaDirection
{
    /// <summary>Received from the leg's peer, as it arrived (before any rewrite).</summary>
    Received = 0,

    /// <summary>Sent to the leg's peer, as it left (after rewrite; injected announcements included).</summary>
    Sent = 1,
}
