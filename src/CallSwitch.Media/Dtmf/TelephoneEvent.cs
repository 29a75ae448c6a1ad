using System.Buffers.Binary;

namespace CallSwitch.Media.Dtmf;

/// <summary>
/// One RFC 4733 telephone-event payload (§2.3, Figure 1): 8-bit event code, end bit, a reserved
/// bit, 6-bit volume (−dBm0, 0–63) and a 16-bit duration in RTP timestamp units counted from
/// the event's timestamp.
/// </summary>
/// <param name="EventCode">The event (0–15 for DTMF; see <see cref="DtmfDigits"/>).</param>
/// <param name="IsEnd">The E bit: this packet reports the end of the event (§2.5.1.3).</param>
/// <param name="Volume">Power level as −dBm0, 0 (loudest) to 63 (§2.3.2).</param>
/// <param name="Duration">Duration so far, in RTP clock units (§2.3.5).</param>
public readonly record struct TelephoneEvent(byte EventCode, bool IsEnd, byte Volume, ushort Duration)
{
    /// <summary>Bytes in one event report.</summary>
    public const int Length = 4;

    /// <summary>The highest volume value the 6-bit field carries.</summary>
    public const byte MaxVolume = 63;

    /// <summary>The key this event stands for, or '\0' for a non-DTMF event.</summary>
    public char Digit => DtmfDigits.TryGetDigit(EventCode, out var digit) ? digit : '\0';

    /// <summary>True when <see cref="EventCode"/> is a DTMF key.</summary>
    public bool IsDtmf => EventCode <= DtmfDigits.MaxEventCode;

    /// <summary>
    /// Reads the first event report of a payload. The reserved bit is ignored, as §2.3.3
    /// requires of receivers; further reports (RFC 2198 redundancy is negotiated separately)
    /// are not read.
    /// </summary>
    /// <returns>False when the payload is shorter than four bytes.</returns>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent telephoneEvent)
    {
        if (payload.Length < Length)
        {
            telephoneEvent = default;
            return false;
        }

        telephoneEvent = new TelephoneEvent(
            payload[0],
            (payload[1] & 0x80) != 0,
            (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Writes this report into the first four bytes of <paramref name="destination"/>, reserved bit zero.</summary>
    /// <returns>The number of bytes written (4).</returns>
    /// <exception cref="ArgumentException">The destination is shorter than four bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The volume exceeds 63.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("A telephone-event payload needs four bytes.", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(Volume, MaxVolume);
        destination[0] = EventCode;
        destination[1] = (byte)((IsEnd ? 0x80 : 0) | Volume);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        return Length;
    }
}
