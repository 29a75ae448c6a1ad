using CallSwitch.Media.Codecs;
using CallSwitch.Media.Mixing;

namespace CallSwitch.Media.Tests.Mixing;

/// <summary>A supervisor's softphone as the mixer sees it: keeps what it is sent.</summary>
internal sealed class CapturingOutlet(AudioCodecInfo codec) : IMixOutlet
{
    public HeardStream Heard { get; } = new(codec);

    public bool Send(Span<byte> rtpPacket)
    {
        Heard.Add(rtpPacket.ToArray());
        return true;
    }
}
