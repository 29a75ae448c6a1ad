using CallSwitch.Media.Relay;
using CallSwitch.Recording.Capture;

namespace CallSwitch.Calls.Recording;

/// <summary>
/// Feeds the agent's (left) channel from one relay leg while it is open: on leg A the packets
/// the agent sends (<see cref="MediaDirection.Received"/>), on leg B the packets sent to the
/// prospect (<see cref="MediaDirection.Sent"/>) — which, before the parties are connected, are
/// the notice the switch injects. Exactly one of the two is open at a time, so the left channel
/// is "what our side said to the prospect": the notice, then the agent.
/// </summary>
/// <remarks>
/// Follows the <see cref="IMediaSink"/> contract (relay threads, never blocks or throws). A
/// packet handled while the channel switches source may be lost or, rarely, seen twice; the
/// timeline places both copies at the same instant.
/// </remarks>
internal sealed class AgentChannelSink(PartyTap target, MediaDirection accepted) : IMediaSink
{
    private volatile bool _open;

    /// <summary>Whether packets pass.</summary>
    public bool IsOpen
    {
        get => _open;
        set => _open = value;
    }

    public void OnPacket(ReadOnlySpan<byte> rtpPacket, MediaDirection direction)
    {
        if (_open && direction == accepted)
        {
            target.OnPacket(rtpPacket, target.Direction);
        }
    }
}
