using System.Buffers.Binary;
using System.Text;

namespace CallSwitch.Recording.Ogg;

/// <summary>Builds the two Ogg Opus header packets (RFC 7845 §5). Stateless.</summary>
public static class OpusHeaders
{
    /// <summary>Length of an ID header with channel mapping family 0.</summary>
    public const int IdHeaderLength = 19;

    /// <summary>
    /// The identification header (RFC 7845 §5.1): "OpusHead", version 1, channel count,
    /// pre-skip (48 kHz samples), input sample rate, output gain 0 dB, mapping family 0
    /// (mono or stereo, no mapping table).
    /// </summary>
    public static byte[] BuildIdHeader(int channelCount, int preSkip, int inputSampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channelCount, 2); // family 0 allows 1 or 2 (§5.1.1.1)
        ArgumentOutOfRangeException.ThrowIfNegative(preSkip);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preSkip, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegative(inputSampleRate);

        var header = new byte[IdHeaderLength];
        "OpusHead"u8.CopyTo(header);
        header[8] = 1; // version (§5.1: major 0, minor 1)
        header[9] = (byte)channelCount;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(16), 0); // output gain, Q7.8 dB
        header[18] = 0; // channel mapping family 0
        return header;
    }

    /// <summary>
    /// The comment header (RFC 7845 §5.2): "OpusTags", vendor string, then the user comments
    /// <c>RECORDING_ID</c> and <c>CAMPAIGN_ID</c>, all lengths little-endian, UTF-8 text.
    /// </summary>
    public static byte[] BuildCommentHeader(RecordingTags tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        string[] comments =
        [
            "RECORDING_ID=" + RequireValue(tags.RecordingId, nameof(tags.RecordingId)),
            "CAMPAIGN_ID=" + RequireValue(tags.CampaignId, nameof(tags.CampaignId)),
        ];
        byte[] vendor = Encoding.UTF8.GetBytes(tags.Vendor);
        int length = 8 + 4 + vendor.Length + 4;
        var encoded = new byte[comments.Length][];
        for (int i = 0; i < comments.Length; i++)
        {
            encoded[i] = Encoding.UTF8.GetBytes(comments[i]);
            length += 4 + encoded[i].Length;
        }

        var header = new byte[length];
        var span = header.AsSpan();
        "OpusTags"u8.CopyTo(span);
        int offset = 8;
        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)vendor.Length);
        offset += 4;
        vendor.CopyTo(span[offset..]);
        offset += vendor.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)encoded.Length);
        offset += 4;
        foreach (byte[] comment in encoded)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)comment.Length);
            offset += 4;
            comment.CopyTo(span[offset..]);
            offset += comment.Length;
        }

        return header;
    }

    private static string RequireValue(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException("A tag value must not contain control characters.", name);
            }
        }

        return value;
    }
}
