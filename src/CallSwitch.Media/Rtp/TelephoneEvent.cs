using System.Buffers.Binary;

namespace CallSwitch.Media.Rtp;

/// <summary>
/// The first event of an RFC 4733 telephone-event payload (§2.3): event code, end bit,
/// volume and duration, with the RTP timestamp that identifies the event (all packets of one
/// event share it, §2.5.1.2).
/// </summary>
public readonly record struct TelephoneEvent(byte EventCode, bool End, byte Volume, ushort Duration, uint Timestamp, bool Marker)
{
    /// <summary>Size of one event block (§2.3).</summary>
    public const int PayloadLength = 4;

    /// <summary>Reads the event from an RTP packet whose payload type is telephone-event.</summary>
    public static bool TryRead(RtpPacket packet, out TelephoneEvent telephoneEvent)
    {
        Span<byte> payload = packet.Payload;
        if (payload.Length < PayloadLength)
        {
            telephoneEvent = default;
            return false;
        }

        telephoneEvent = new TelephoneEvent(
            payload[0],
            (payload[1] & 0x80) != 0,
            (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2)),
            packet.Timestamp,
            packet.Marker);
        return true;
    }
}
