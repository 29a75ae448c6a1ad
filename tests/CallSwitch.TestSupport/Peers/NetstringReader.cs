using System.Text;

namespace CallSwitch.TestSupport.Peers;

/// <summary>
/// Reads netstrings (<c>length:bytes,</c>, the framing of baresip's ctrl_tcp) from a stream,
/// one message at a time, as UTF-8 text.
/// </summary>
public sealed class NetstringReader
{
    private const int MaxLength = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _one = new byte[1];

    /// <summary>Reads from <paramref name="stream"/>; the caller keeps ownership of it.</summary>
    public NetstringReader(Stream stream) => _stream = stream;

    /// <summary>The next message; null at the end of the stream. Throws <see cref="InvalidDataException"/> on a malformed frame.</summary>
    public async Task<string?> ReadAsync()
    {
        int length = 0;
        int digits = 0;
        while (true)
        {
            int b = await ReadByteAsync().ConfigureAwait(false);
            if (b < 0)
            {
                return digits == 0 ? null : throw new InvalidDataException("netstring: the stream ended inside a length");
            }

            if (b == ':' && digits > 0)
            {
                break;
            }

            if (b is < '0' or > '9' || ++digits > 7)
            {
                throw new InvalidDataException($"netstring: unexpected byte 0x{b:X2} in a length");
            }

            length = (length * 10) + (b - '0');
        }

        if (length > MaxLength)
        {
            throw new InvalidDataException($"netstring: {length} bytes is more than {MaxLength}");
        }

        byte[] payload = new byte[length];
        await _stream.ReadExactlyAsync(payload).ConfigureAwait(false);
        if (await ReadByteAsync().ConfigureAwait(false) != ',')
        {
            throw new InvalidDataException("netstring: no ',' after the payload");
        }

        return Encoding.UTF8.GetString(payload);
    }

    private async Task<int> ReadByteAsync() =>
        await _stream.ReadAsync(_one).ConfigureAwait(false) == 0 ? -1 : _one[0];
}
