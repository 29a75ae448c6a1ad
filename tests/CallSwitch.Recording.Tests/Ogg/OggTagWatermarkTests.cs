using System.Text;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Tests.Support;

namespace CallSwitch.Recording.Tests.Ogg;

public class OggTagWatermarkTests
{
    private static readonly KeyValuePair<string, string>[] Watermark =
    [
        new("EXPORTED_BY", "dpo"),
        new("EXPORTED_AT", "2026-12-07T02:45:00Z"),

        // Long enough that the tags packet needs several lacing values.
        new("EXPORT_PURPOSE", "dispute: " + new string('é', 200)),
    ];

    [Fact]
    public async Task The_tags_gain_the_comments_and_every_other_byte_is_kept()
    {
        byte[] original = WriteStream();

        byte[] marked = await WatermarkAsync(original, Watermark);

        List<OggPageReader.Page> before = OggPageReader.Read(original);
        List<OggPageReader.Page> after = OggPageReader.Read(marked);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before[0].Raw, after[0].Raw);
        Assert.Equal(before.Skip(2).Select(p => p.Raw), after.Skip(2).Select(p => p.Raw));
        Assert.Equal(before[1].Sequence, after[1].Sequence);
        Assert.Equal(before[1].Serial, after[1].Serial);
        byte[] raw = (byte[])after[1].Raw.Clone();
        raw.AsSpan(22, 4).Clear();
        Assert.Equal(after[1].Crc, OggCrc.Compute(raw));
        Assert.Single(OggPageReader.Packets(after[1]));

        List<string> comments = Comments(after[1].Body);
        Assert.Equal(
            ["RECORDING_ID=rec-1", "CAMPAIGN_ID=camp-7", "EXPORTED_BY=dpo", "EXPORTED_AT=2026-12-07T02:45:00Z", "EXPORT_PURPOSE=dispute: " + new string('é', 200)],
            comments);
    }

    [Fact]
    public async Task A_stream_that_is_not_ogg_opus_or_a_bad_field_name_is_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => WatermarkAsync("not an ogg file at all, really not"u8.ToArray(), Watermark));
        await Assert.ThrowsAsync<InvalidDataException>(() => WatermarkAsync([], Watermark));
        byte[] original = WriteStream();
        await Assert.ThrowsAsync<InvalidDataException>(() => WatermarkAsync(original[..OggPageReader.Read(original)[0].Raw.Length], Watermark));
        await Assert.ThrowsAsync<ArgumentException>(() => WatermarkAsync(original, [new("BY=ME", "x")]));
    }

    /// <summary>The user comments of an OpusTags packet (RFC 7845 §5.2), read independently of the code under test.</summary>
    private static List<string> Comments(byte[] tags)
    {
        using var reader = new BinaryReader(new MemoryStream(tags));
        Assert.Equal("OpusTags", Encoding.ASCII.GetString(reader.ReadBytes(8)));
        reader.ReadBytes(reader.ReadInt32());
        int count = reader.ReadInt32();
        return Enumerable.Range(0, count).Select(_ => Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadInt32()))).ToList();
    }

    private static async Task<byte[]> WatermarkAsync(byte[] source, KeyValuePair<string, string>[] comments)
    {
        using var input = new MemoryStream(source);
        using var output = new MemoryStream();
        await OggTagWatermark.CopyWithCommentsAsync(input, output, comments);
        return output.ToArray();
    }

    private static byte[] WriteStream()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 0xC0FFEE, 2, 312, 16000, new RecordingTags("rec-1", "camp-7"));
        var packet = new byte[60];
        for (int i = 0; i < 130; i++)
        {
            packet[0] = (byte)i;
            writer.WritePacket(packet, 960);
        }

        writer.Complete((130 * 960) - 312);
        return output.ToArray();
    }
}
