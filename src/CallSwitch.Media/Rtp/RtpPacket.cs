using System.Buffers.Binary;

namespace CallSwitch.Media.Rtp;

/// <summary>
/// A view over one RTP packet (RFC 3550 §5.1) held in a caller-owned span. Nothing is copied
/// and nothing is allocated: getters read the header in place and setters write it in place,
/// so a relay can rewrite a received packet and send it out of the same buffer.
/// </summary>
/// <remarks>
/// The view never outlives the span it was made from; whoever owns the buffer owns the
/// packet. Obtain one with <see cref="TryParse"/>, which validates the lengths so that every
/// accessor afterwards is within bounds.
/// </remarks>
public readonly ref struct RtpPacket
{
    /// <summary>Fixed header size: V/P/X/CC, M/PT, sequence, timestamp, SSRC (RFC 3550 §5.1).</summary>
    public const int FixedHeaderLength = 12;

    private readonly Span<byte> _data;
    private readonly int _payloadOffset;
    private readonly int _payloadLength;

    private RtpPacket(Span<byte> data, int payloadOffset, int payloadLength)
    {
        _data = data;
        _payloadOffset = payloadOffset;
        _payloadLength = payloadLength;
    }

    /// <summary>
    /// Validates <paramref name="data"/> as one RTP packet: version 2, room for the CSRC list
    /// and the header extension it announces, and a padding count that fits (RFC 3550 §5.1).
    /// </summary>
    public static bool TryParse(Span<byte> data, out RtpPacket packet)
    {
        packet = default;
        if (!TryLocatePayload(data, out int offset, out int length))
        {
            return false;
        }

        packet = new RtpPacket(data, offset, length);
        return true;
    }

    /// <summary>
    /// The same validation as <see cref="TryParse"/> on a read-only buffer (a packet offered
    /// to a sink): where the payload starts and how long it is.
    /// </summary>
    public static bool TryLocatePayload(ReadOnlySpan<byte> data, out int payloadOffset, out int payloadLength)
    {
        payloadOffset = 0;
        payloadLength = 0;
        if (data.Length < FixedHeaderLength)
        {
            return false;
        }

        byte first = data[0];
        if (first >> 6 != 2)
        {
            return false;
        }

        int offset = FixedHeaderLength + ((first & 0x0F) * 4);
        if (offset > data.Length)
        {
            return false;
        }

        if ((first & 0x10) != 0)
        {
            // §5.3.1: 16-bit profile-defined id, 16-bit length in 32-bit words, then the words.
            if (offset + 4 > data.Length)
            {
                return false;
            }

            int words = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 2));
            offset += 4 + (words * 4);
            if (offset > data.Length)
            {
                return false;
            }
        }

        int end = data.Length;
        if ((first & 0x20) != 0)
        {
            // §5.1: the last octet counts the padding octets, itself included.
            int padding = data[^1];
            if (padding == 0 || offset + padding > end)
            {
                return false;
            }

            end -= padding;
        }

        payloadOffset = offset;
        payloadLength = end - offset;
        return true;
    }

    /// <summary>The whole packet, header to padding.</summary>
    public Span<byte> Data => _data;

    /// <summary>Whole packet length in bytes.</summary>
    public int Length => _data.Length;

    /// <summary>RTP version; always 2 for a parsed packet.</summary>
    public int Version => _data[0] >> 6;

    /// <summary>The P bit: padding octets follow the payload.</summary>
    public bool HasPadding => (_data[0] & 0x20) != 0;

    /// <summary>The X bit: a header extension follows the CSRC list.</summary>
    public bool HasExtension => (_data[0] & 0x10) != 0;

    /// <summary>Number of CSRC identifiers (0 to 15).</summary>
    public int CsrcCount => _data[0] & 0x0F;

    /// <summary>Offset of the payload: header, CSRC list and extension lengths added up.</summary>
    public int HeaderLength => _payloadOffset;

    /// <summary>The marker bit; profile-defined (RFC 3551 §4.1: first packet of a talkspurt).</summary>
    public bool Marker
    {
        get => (_data[1] & 0x80) != 0;
        set => _data[1] = (byte)(value ? _data[1] | 0x80 : _data[1] & 0x7F);
    }

    /// <summary>The 7-bit payload type.</summary>
    public int PayloadType
    {
        get => _data[1] & 0x7F;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 127);
            _data[1] = (byte)((_data[1] & 0x80) | value);
        }
    }

    /// <summary>16-bit sequence number (wraps).</summary>
    public ushort SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(2));
        set => BinaryPrimitives.WriteUInt16BigEndian(_data.Slice(2), value);
    }

    /// <summary>32-bit media timestamp in the payload's clock (wraps).</summary>
    public uint Timestamp
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_data.Slice(4), value);
    }

    /// <summary>Synchronisation source identifier.</summary>
    public uint Ssrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(_data.Slice(8), value);
    }

    /// <summary>Reads CSRC number <paramref name="index"/> (0-based, below <see cref="CsrcCount"/>).</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(FixedHeaderLength + (index * 4)));
    }

    /// <summary>The 16-bit "defined by profile" field of the header extension, or 0 without one.</summary>
    public ushort ExtensionProfile =>
        HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(FixedHeaderLength + (CsrcCount * 4))) : (ushort)0;

    /// <summary>The header extension's data words (without its 4-octet header); empty without one.</summary>
    public Span<byte> ExtensionData
    {
        get
        {
            if (!HasExtension)
            {
                return Span<byte>.Empty;
            }

            int start = FixedHeaderLength + (CsrcCount * 4) + 4;
            return _data.Slice(start, _payloadOffset - start);
        }
    }

    /// <summary>The payload, without header and padding.</summary>
    public Span<byte> Payload => _data.Slice(_payloadOffset, _payloadLength);

    /// <summary>Number of padding octets at the end (0 when the P bit is clear).</summary>
    public int PaddingLength => _data.Length - _payloadOffset - _payloadLength;

    /// <summary>
    /// Writes a minimal header (no CSRC, no extension, no padding) into <paramref name="destination"/>
    /// and returns the header length; the payload goes right after it.
    /// </summary>
    public static int WriteHeader(Span<byte> destination, int payloadType, bool marker, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, FixedHeaderLength);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, 127);
        destination[0] = 0x80;
        destination[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), ssrc);
        return FixedHeaderLength;
    }

    /// <summary>
    /// True when the first octets look like RTCP rather than RTP: with RTP/RTCP multiplexing
    /// (RFC 5761 §4) RTCP packet types 200-204 land in the RTP marker/PT octet as 72-76.
    /// </summary>
    public static bool LooksLikeRtcp(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[1] >= 192 && data[1] <= 223;
}
