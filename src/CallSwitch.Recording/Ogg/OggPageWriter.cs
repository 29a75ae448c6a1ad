using System.Buffers.Binary;

namespace CallSwitch.Recording.Ogg;

/// <summary>
/// Packs whole packets into the pages of one Ogg logical bitstream (RFC 3533) and writes each
/// finished page to a <see cref="Stream"/>. Packets are never split across pages: a packet
/// that does not fit in the current page's segment table starts a new page.
/// </summary>
/// <remarks>
/// Single-threaded: one writer thread owns an instance. Packet bytes are copied into an
/// internal page buffer, so the caller's span is not retained. No allocation after
/// construction.
/// </remarks>
public sealed class OggPageWriter
{
    /// <summary>Capture pattern, version, flags, granule, serial, sequence, CRC, segment count (RFC 3533 §6).</summary>
    public const int HeaderLength = 27;

    /// <summary>A page holds at most 255 lacing values (RFC 3533 §6, "page_segments").</summary>
    public const int MaxSegments = 255;

    /// <summary>The largest packet this writer accepts (it fits in one page's segment table).</summary>
    public const int MaxPacketLength = (MaxSegments - 1) * 255;

    private readonly Stream _output;
    private readonly uint _serialNumber;
    // Grown as pages fill, up to a page of 255 full segments: a recording's pages are a few KB,
    // and a 130 KB pair per recording was a fifth of what a recorded call set-up allocated
    // (bench/notes/2026-12-07-sip-parse.md).
    private const int InitialBodyLength = 4096;
    private byte[] _page = new byte[HeaderLength + MaxSegments + InitialBodyLength];
    private byte[] _body = new byte[InitialBodyLength];
    private readonly byte[] _segments = new byte[MaxSegments];
    private int _segmentCount;
    private int _bodyLength;
    private int _packetCount;
    private long _granulePosition;
    private uint _sequenceNumber;
    private bool _beginningWritten;

    /// <summary>Creates a writer for the logical bitstream <paramref name="serialNumber"/>.</summary>
    public OggPageWriter(Stream output, uint serialNumber)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _serialNumber = serialNumber;
    }

    /// <summary>Packets waiting in the current (unwritten) page.</summary>
    public int PendingPackets => _packetCount;

    /// <summary>Pages written so far.</summary>
    public uint PagesWritten => _sequenceNumber;

    /// <summary>Whether a packet of <paramref name="length"/> bytes still fits in the current page.</summary>
    public bool Fits(int length) => _segmentCount + (length / 255) + 1 <= MaxSegments;

    /// <summary>
    /// Adds a packet to the current page; if it does not fit, writes the current page first.
    /// <paramref name="granulePosition"/> is the stream's granule position after this packet
    /// (RFC 3533 §6: a page's granule is that of its last completed packet).
    /// </summary>
    public void AddPacket(ReadOnlySpan<byte> packet, long granulePosition)
    {
        if (packet.Length > MaxPacketLength)
        {
            throw new ArgumentOutOfRangeException(nameof(packet), packet.Length, $"An Ogg packet here is at most {MaxPacketLength} bytes.");
        }

        if (!Fits(packet.Length))
        {
            WritePage(endOfStream: false);
        }

        // Lacing (RFC 3533 §5): 255 for each full 255-byte segment, then the remainder (< 255),
        // which is 0 when the length is a multiple of 255.
        int remaining = packet.Length;
        while (remaining >= 255)
        {
            _segments[_segmentCount++] = 255;
            remaining -= 255;
        }

        _segments[_segmentCount++] = (byte)remaining;
        if (_bodyLength + packet.Length > _body.Length)
        {
            Array.Resize(ref _body, Math.Min(MaxSegments * 255, Math.Max(_body.Length * 2, _bodyLength + packet.Length)));
        }

        packet.CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += packet.Length;
        _packetCount++;
        _granulePosition = granulePosition;
    }

    /// <summary>
    /// Writes the pending packets as one page (nothing if none are pending, unless
    /// <paramref name="endOfStream"/> would otherwise be lost — which this writer refuses: an
    /// end-of-stream page must carry a packet).
    /// </summary>
    /// <param name="endOfStream">Sets the EOS flag on this page (RFC 3533 §6).</param>
    /// <param name="granuleOverride">Replaces the page's granule position (RFC 7845 §4.4 end trimming).</param>
    public void WritePage(bool endOfStream, long? granuleOverride = null)
    {
        if (_packetCount == 0)
        {
            if (endOfStream)
            {
                throw new InvalidOperationException("An end-of-stream page must carry a packet.");
            }

            return;
        }

        var flags = OggPageFlags.None;
        if (!_beginningWritten)
        {
            flags |= OggPageFlags.BeginningOfStream;
            _beginningWritten = true;
        }

        if (endOfStream)
        {
            flags |= OggPageFlags.EndOfStream;
        }

        if (_page.Length < HeaderLength + MaxSegments + _bodyLength)
        {
            _page = new byte[HeaderLength + MaxSegments + _body.Length];
        }

        Span<byte> page = _page;
        "OggS"u8.CopyTo(page);
        page[4] = 0; // stream_structure_version
        page[5] = (byte)flags;
        BinaryPrimitives.WriteInt64LittleEndian(page[6..], granuleOverride ?? _granulePosition);
        BinaryPrimitives.WriteUInt32LittleEndian(page[14..], _serialNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(page[18..], _sequenceNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
        page[26] = (byte)_segmentCount;
        _segments.AsSpan(0, _segmentCount).CopyTo(page[HeaderLength..]);
        int bodyOffset = HeaderLength + _segmentCount;
        _body.AsSpan(0, _bodyLength).CopyTo(page[bodyOffset..]);
        int total = bodyOffset + _bodyLength;
        uint crc = OggCrc.Compute(page[..total]);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], crc);
        _output.Write(page[..total]);

        _sequenceNumber++;
        _segmentCount = 0;
        _bodyLength = 0;
        _packetCount = 0;
    }
}
