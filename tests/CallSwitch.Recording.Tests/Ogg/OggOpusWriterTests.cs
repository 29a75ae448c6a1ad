using System.Buffers.Binary;
using System.Text;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Tests.Support;

namespace CallSwitch.Recording.Tests.Ogg;

public class OggOpusWriterTests
{
    private const int PreSkipSamples = 312;

    [Fact]
    public void HeadersFollowRfc7845()
    {
        var (pages, _) = WriteStream(packets: 3, packetLength: 40);

        Assert.Equal(0x02, pages[0].Flags); // BOS alone on the first page (§3)
        Assert.Single(pages[0].Lacing);
        byte[] head = pages[0].Body;
        Assert.Equal("OpusHead", Encoding.ASCII.GetString(head, 0, 8));
        Assert.Equal(19, head.Length);
        Assert.Equal(1, head[8]);
        Assert.Equal(2, head[9]);
        Assert.Equal(PreSkipSamples, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10)));
        Assert.Equal(16000u, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)));
        Assert.Equal(0, BinaryPrimitives.ReadInt16LittleEndian(head.AsSpan(16)));
        Assert.Equal(0, head[18]);
        Assert.Equal(0, pages[0].Granule);

        string tags = Encoding.UTF8.GetString(pages[1].Body);
        Assert.StartsWith("OpusTags", tags, StringComparison.Ordinal);
        Assert.Contains("RECORDING_ID=rec-1", tags, StringComparison.Ordinal);
        Assert.Contains("CAMPAIGN_ID=camp-7", tags, StringComparison.Ordinal);
        Assert.Equal(0, pages[1].Granule);
        Assert.Equal(0, pages[1].Flags);
    }

    [Fact]
    public void PagesCarrySequenceCrcAndGranules()
    {
        var (pages, _) = WriteStream(packets: 120, packetLength: 80);

        for (int i = 0; i < pages.Count; i++)
        {
            Assert.Equal((uint)i, pages[i].Sequence);
            Assert.Equal(0xC0FFEEu, pages[i].Serial);
            byte[] raw = (byte[])pages[i].Raw.Clone();
            raw.AsSpan(22, 4).Clear();
            Assert.Equal(pages[i].Crc, OggCrc.Compute(raw));
        }

        // 120 packets of 20 ms with at most one second per page: 50 + 50 + 20.
        List<OggPageReader.Page> audio = pages.Skip(2).ToList();
        Assert.Equal([50, 50, 20], audio.Select(p => OggPageReader.Packets(p).Count));
        Assert.Equal(50 * 960, audio[0].Granule);
        Assert.Equal(100 * 960, audio[1].Granule);
    }

    [Fact]
    public void LastPageCarriesDataEndOfStreamAndTrimmedGranule()
    {
        // 100 packets: exactly two full seconds. The EOS must not land on an empty page.
        var (pages, _) = WriteStream(packets: 100, packetLength: 80, trimmedSamples: (99 * 960) + 100 - PreSkipSamples);
        OggPageReader.Page last = pages[^1];
        Assert.Equal(0x04, last.Flags);
        Assert.NotEmpty(OggPageReader.Packets(last));
        Assert.Equal((99 * 960) + 100, last.Granule);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(0, p.Flags & 0x04));
    }

    [Fact]
    public void LongPacketsUseLacingWithTrailingZero()
    {
        var (pages, _) = WriteStream(packets: 2, packetLength: 510);
        OggPageReader.Page audio = pages[2];
        Assert.Equal(new byte[] { 255, 255, 0, 255, 255, 0 }, audio.Lacing);
        Assert.All(OggPageReader.Packets(audio), p => Assert.Equal(510, p.Length));
    }

    [Fact]
    public void PagesLargerThanTheWritersFirstBuffersKeepEveryPacketWhole()
    {
        // 1,000-byte packets: a page of up to 255 segments carries ~63 KB, past the page writer's
        // first 4 KB buffers, which grow with it.
        var (pages, _) = WriteStream(packets: 200, packetLength: 1000);

        byte[][] audio = [.. pages.Skip(2).SelectMany(OggPageReader.Packets)];
        Assert.Equal(200, audio.Length);
        Assert.All(audio, p => Assert.Equal(1000, p.Length));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i), audio.Select(p => p[0]));
        Assert.Contains(pages, p => p.Lacing.Sum(l => l) > 4096);
    }

    [Fact]
    public void TrimBeyondTheLastPageIsRefused()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 1, 2, PreSkipSamples, 16000, new RecordingTags("r", "c"));
        for (int i = 0; i < 60; i++)
        {
            writer.WritePacket(new byte[10], 960);
        }

        // The last page holds packets 51..60: the final granule (pre-skip + audio) must stay
        // within 50*960..60*960.
        Assert.Throws<InvalidOperationException>(() => writer.Complete((50 * 960) - PreSkipSamples - 1));
        Assert.Throws<InvalidOperationException>(() => writer.Complete((60 * 960) - PreSkipSamples + 1));
    }

    [Fact]
    public void CompletingWithoutAudioIsRefused()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 1, 2, PreSkipSamples, 16000, new RecordingTags("r", "c"));
        Assert.Throws<InvalidOperationException>(() => writer.Complete(0));
    }

    private static (List<OggPageReader.Page> Pages, byte[] File) WriteStream(int packets, int packetLength, long? trimmedSamples = null)
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 0xC0FFEE, 2, PreSkipSamples, 16000, new RecordingTags("rec-1", "camp-7"));
        var packet = new byte[packetLength];
        for (int i = 0; i < packets; i++)
        {
            packet[0] = (byte)i;
            writer.WritePacket(packet, 960);
        }

        writer.Complete(trimmedSamples ?? ((long)packets * 960) - PreSkipSamples);
        byte[] file = output.ToArray();
        return (OggPageReader.Read(file), file);
    }
}
