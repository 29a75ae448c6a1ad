using System.Text;
using CallSwitch.Recording.Ogg;

namespace CallSwitch.Recording.Tests.Ogg;

public class OggCrcTests
{
    [Fact]
    public void CheckValueMatchesTheUnreflectedZeroInitCrc()
    {
        // CRC-32/CKSUM ("123456789") is 0x765E7680 with the same polynomial, init 0, no
        // reflection, but a final XOR of 0xFFFFFFFF; Ogg has no final XOR.
        uint crc = OggCrc.Compute(Encoding.ASCII.GetBytes("123456789"));
        Assert.Equal(~0x765E7680u, crc);
    }

    [Fact]
    public void UpdateIsIncremental()
    {
        byte[] data = Encoding.ASCII.GetBytes("OggS page bytes, split anywhere");
        uint whole = OggCrc.Compute(data);
        uint split = OggCrc.Update(OggCrc.Update(0, data.AsSpan(0, 7)), data.AsSpan(7));
        Assert.Equal(whole, split);
        Assert.NotEqual(0u, whole);
    }
}
