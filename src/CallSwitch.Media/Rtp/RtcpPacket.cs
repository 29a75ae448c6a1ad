using System.Buffers.Binary;

namespace CallSwitch.Media.Rtp;

/// <summary>
/// A view over one RTCP packet inside a compound packet (RFC 3550 §6.1), in a caller-owned
/// span. It knows enough of SR, RR, SDES and BYE to rewrite their SSRC fields in place, which
/// is what a relay that rewrites the RTP stream's SSRC must do so that the far end can match
/// the reports to the stream it actually receives.
/// </summary>
/// <remarks>Walk a compound packet with <see cref="TryReadNext"/>; nothing is copied or allocated.</remarks>
public readonly ref struct RtcpPacket
{
    /// <summary>Common header: V/P/count, packet type, length in 32-bit words minus one (§6.4.1).</summary>
    public const int HeaderLength = 4;

    /// <summary>Size of one report block in an SR or RR (§6.4.1).</summary>
    public const int ReportBlockLength = 24;

    private const int SenderInfoLength = 20;

    private readonly Span<byte> _data;

    private RtcpPacket(Span<byte> data) => _data = data;

    /// <summary>
    /// Reads the packet that starts at <paramref name="offset"/> in <paramref name="compound"/>
    /// and moves <paramref name="offset"/> past it. Returns false at the end or on a malformed
    /// packet (version not 2, length beyond the datagram, report count that does not fit).
    /// </summary>
    public static bool TryReadNext(Span<byte> compound, ref int offset, out RtcpPacket packet)
    {
        packet = default;
        if (offset + HeaderLength > compound.Length)
        {
            return false;
        }

        Span<byte> rest = compound.Slice(offset);
        if (rest[0] >> 6 != 2)
        {
            return false;
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(2)) + 1) * 4;
        if (length > rest.Length)
        {
            return false;
        }

        var candidate = new RtcpPacket(rest.Slice(0, length));
        if (!candidate.HasConsistentBody())
        {
            return false;
        }

        packet = candidate;
        offset += length;
        return true;
    }

    /// <summary>
    /// Checks a whole datagram: one or more RTCP packets whose lengths add up exactly to it
    /// (RFC 3550 §A.2 validity checks, without requiring SR/RR first so that reduced-size
    /// RTCP of RFC 5506 passes).
    /// </summary>
    public static bool IsValidCompound(Span<byte> compound)
    {
        int offset = 0;
        int count = 0;
        while (TryReadNext(compound, ref offset, out _))
        {
            count++;
        }

        return count > 0 && offset == compound.Length;
    }

    /// <summary>The packet bytes, header included.</summary>
    public Span<byte> Data => _data;

    /// <summary>Packet length in bytes.</summary>
    public int Length => _data.Length;

    /// <summary>Packet type (200-204 for the types of RFC 3550; others are carried as they are).</summary>
    public RtcpPacketType PacketType => (RtcpPacketType)_data[1];

    /// <summary>Five-bit count field: report blocks (SR/RR), chunks (SDES) or sources (BYE).</summary>
    public int Count => _data[0] & 0x1F;

    /// <summary>SSRC of the sender for SR and RR; first source for SDES/BYE; 0 when absent.</summary>
    public uint SenderSsrc =>
        _data.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(4)) : 0;

    /// <summary>Number of report blocks for SR/RR, else 0.</summary>
    public int ReportBlockCount => PacketType is RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport ? Count : 0;

    /// <summary>The RTP timestamp of a sender report (§6.4.1); call only on an SR.</summary>
    public uint SenderReportRtpTimestamp
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(SenderInfo().Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(SenderInfo().Slice(8), value);
    }

    /// <summary>The sender's packet count of an SR (§6.4.1).</summary>
    public uint SenderPacketCount => BinaryPrimitives.ReadUInt32BigEndian(SenderInfo().Slice(12));

    /// <summary>SSRC of the source that report block <paramref name="index"/> is about.</summary>
    public uint GetReportBlockSsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(ReportBlock(index));

    /// <summary>Overwrites the source SSRC of report block <paramref name="index"/>.</summary>
    public void SetReportBlockSsrc(int index, uint ssrc) => BinaryPrimitives.WriteUInt32BigEndian(ReportBlock(index), ssrc);

    /// <summary>Extended highest sequence number received, of report block <paramref name="index"/>.</summary>
    public uint GetReportBlockHighestSequence(int index) => BinaryPrimitives.ReadUInt32BigEndian(ReportBlock(index).Slice(8));

    /// <summary>
    /// Rewrites the SSRC fields in place. Every field that names the reporting source (SR/RR
    /// sender, SDES chunk, BYE source) becomes <paramref name="senderSsrc"/>; every report block
    /// source (the stream being reported on) becomes <paramref name="reportedSsrc"/> when one is
    /// given. APP and unknown types are left alone.
    /// </summary>
    public void RewriteSsrcs(uint senderSsrc, uint? reportedSsrc)
    {
        switch (PacketType)
        {
            case RtcpPacketType.SenderReport:
            case RtcpPacketType.ReceiverReport:
                BinaryPrimitives.WriteUInt32BigEndian(_data.Slice(4), senderSsrc);
                if (reportedSsrc is uint reported)
                {
                    for (int i = 0; i < ReportBlockCount; i++)
                    {
                        SetReportBlockSsrc(i, reported);
                    }
                }

                break;
            case RtcpPacketType.SourceDescription:
                RewriteSdesChunks(senderSsrc);
                break;
            case RtcpPacketType.Goodbye:
                for (int i = 0; i < Count; i++)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(_data.Slice(4 + (i * 4)), senderSsrc);
                }

                break;
        }
    }

    private bool HasConsistentBody()
    {
        switch (PacketType)
        {
            case RtcpPacketType.SenderReport:
                return _data.Length >= 8 + SenderInfoLength + (Count * ReportBlockLength);
            case RtcpPacketType.ReceiverReport:
                return _data.Length >= 8 + (Count * ReportBlockLength);
            case RtcpPacketType.Goodbye:
                return _data.Length >= HeaderLength + (Count * 4);
            case RtcpPacketType.SourceDescription:
                return Count == 0 || WalkSdesChunks(_data, rewrite: false, 0);
            default:
                return true;
        }
    }

    private Span<byte> SenderInfo()
    {
        if (PacketType != RtcpPacketType.SenderReport)
        {
            throw new InvalidOperationException("Sender info exists only in a sender report.");
        }

        return _data.Slice(8, SenderInfoLength);
    }

    private Span<byte> ReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportBlockCount);
        int start = 8 + (PacketType == RtcpPacketType.SenderReport ? SenderInfoLength : 0);
        return _data.Slice(start + (index * ReportBlockLength), ReportBlockLength);
    }

    private void RewriteSdesChunks(uint ssrc) => WalkSdesChunks(_data, rewrite: true, ssrc);

    // §6.5: each chunk is an SSRC/CSRC then items (type, length, text) up to a null item,
    // padded with nulls to the next 32-bit boundary.
    private static bool WalkSdesChunks(Span<byte> data, bool rewrite, uint ssrc)
    {
        int chunks = data[0] & 0x1F;
        int offset = HeaderLength;
        for (int c = 0; c < chunks; c++)
        {
            if (offset + 4 > data.Length)
            {
                return false;
            }

            if (rewrite)
            {
                BinaryPrimitives.WriteUInt32BigEndian(data.Slice(offset), ssrc);
            }

            offset += 4;
            while (true)
            {
                if (offset >= data.Length)
                {
                    return false;
                }

                if (data[offset] == 0)
                {
                    offset = (offset + 4) & ~3;
                    break;
                }

                if (offset + 2 > data.Length)
                {
                    return false;
                }

                offset += 2 + data[offset + 1];
            }
        }

        return offset <= data.Length;
    }
}
