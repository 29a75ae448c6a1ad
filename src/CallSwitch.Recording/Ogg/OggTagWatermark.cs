using System.Buffers.Binary;
using System.Text;

namespace CallSwitch.Recording.Ogg;

/// <summary>
/// Watermarks an exported Ogg Opus stream: copies it, adding user comments (who exported it, when,
/// why) to its OpusTags header (RFC 7845 §5.2). The tags packet stays alone on the stream's second
/// page (RFC 7845 §3 requires it to end its page), so only that page is rebuilt — lacing and CRC —
/// and every other byte is copied as it was, page sequence numbers included.
/// </summary>
public static class OggTagWatermark
{
    private const int HeaderLength = OggPageWriter.HeaderLength;

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> with the comments added to its OpusTags.</summary>
    /// <exception cref="InvalidDataException">The source is not an Ogg Opus stream with its tags alone on the second page.</exception>
    /// <exception cref="ArgumentException">A comment's name is not a valid Vorbis comment field name.</exception>
    public static async Task CopyWithCommentsAsync(
        Stream source,
        Stream target,
        IReadOnlyList<KeyValuePair<string, string>> comments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(comments);
        foreach ((string name, string value) in comments)
        {
            ArgumentNullException.ThrowIfNull(value);

            // RFC 7845 §5.2 via Vorbis I §5.2.3: printable ASCII but '='.
            if (name.Length == 0 || name.Any(c => c is < (char)0x20 or > (char)0x7D or '='))
            {
                throw new ArgumentException($"not a comment field name: '{name}'", nameof(comments));
            }
        }

        byte[] head = await ReadPageAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The recording is empty: no Ogg page.");
        byte[] tags = await ReadPageAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The recording ends after its first page: no OpusTags.");
        await target.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await target.WriteAsync(AddComments(tags, comments), cancellationToken).ConfigureAwait(false);
        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The OpusTags page with the comments appended to its list, re-laced and re-checksummed.</summary>
    internal static byte[] AddComments(byte[] page, IReadOnlyList<KeyValuePair<string, string>> comments)
    {
        int segments = page[26];
        ReadOnlySpan<byte> lacing = page.AsSpan(HeaderLength, segments);

        // One packet, ending on this page: every lacing value 255 but the last.
        if (segments == 0 || lacing[^1] == 255 || lacing[..^1].ContainsAnyExcept((byte)255))
        {
            throw new InvalidDataException("The second Ogg page does not hold exactly one whole packet (the OpusTags).");
        }

        ReadOnlySpan<byte> body = page.AsSpan(HeaderLength + segments);
        if (!body.StartsWith("OpusTags"u8))
        {
            throw new InvalidDataException("The second Ogg packet is not an OpusTags header.");
        }

        int countOffset = 8 + 4 + checked((int)ReadLength(body, 8));
        uint count = ReadLength(body, countOffset);
        int end = countOffset + 4;
        for (uint i = 0; i < count; i++)
        {
            end += 4 + checked((int)ReadLength(body, end));
        }

        using var packet = new MemoryStream(body.Length + 256);
        packet.Write(body[..countOffset]);
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(number, count + (uint)comments.Count);
        packet.Write(number);
        packet.Write(body[(countOffset + 4)..end]);
        foreach ((string name, string value) in comments)
        {
            byte[] comment = Encoding.UTF8.GetBytes($"{name}={value}");
            BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)comment.Length);
            packet.Write(number);
            packet.Write(comment);
        }

        // What follows the comment list (RFC 7845 allows binary data after it) is kept after the new comments.
        packet.Write(body[end..]);
        byte[] newBody = packet.ToArray();
        int newSegments = (newBody.Length / 255) + 1;
        if (newSegments > OggPageWriter.MaxSegments)
        {
            throw new InvalidDataException("The watermarked OpusTags would not fit on one Ogg page.");
        }

        var result = new byte[HeaderLength + newSegments + newBody.Length];
        page.AsSpan(0, 26).CopyTo(result);
        result[26] = (byte)newSegments;
        result.AsSpan(HeaderLength, newSegments - 1).Fill(255);
        result[HeaderLength + newSegments - 1] = (byte)(newBody.Length % 255);
        newBody.CopyTo(result, HeaderLength + newSegments);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(22), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(22), OggCrc.Compute(result));
        return result;
    }

    private static uint ReadLength(ReadOnlySpan<byte> body, int offset) =>
        offset + 4 <= body.Length
            ? BinaryPrimitives.ReadUInt32LittleEndian(body[offset..])
            : throw new InvalidDataException("The OpusTags header is cut short.");

    private static async Task<byte[]?> ReadPageAsync(Stream source, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        int read = await source.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderLength || !header.AsSpan(0, 4).SequenceEqual("OggS"u8))
        {
            throw new InvalidDataException("Not an Ogg page.");
        }

        int segments = header[26];
        var page = new byte[HeaderLength + segments + (255 * segments)];
        header.CopyTo(page, 0);
        await source.ReadExactlyAsync(page.AsMemory(HeaderLength, segments), cancellationToken).ConfigureAwait(false);
        int bodyLength = 0;
        for (int i = 0; i < segments; i++)
        {
            bodyLength += page[HeaderLength + i];
        }

        await source.ReadExactlyAsync(page.AsMemory(HeaderLength + segments, bodyLength), cancellationToken).ConfigureAwait(false);
        return page[..(HeaderLength + segments + bodyLength)];
    }
}
