using System.Text;

namespace CallSwitch.TestSupport.Sip;

/// <summary>
/// Makes hostile variants of valid SIP messages, deterministically from a seed: truncations,
/// byte flips, NUL bytes, huge headers, thousands of Vias, bad Content-Length, repeated line
/// ends, garbage header names and random bytes.
/// </summary>
public sealed class SipMutator
{
    private static readonly string[] BadLengths = ["-1", "99999999999", "abc", "1e3", " ", "+5", "0x10", "4294967296", "12 13"];
    private readonly Random _random;

    /// <summary>Creates a mutator with a fixed seed, so a failure can be replayed.</summary>
    public SipMutator(int seed) => _random = new Random(seed);

    /// <summary>One mutant of <paramref name="seed"/>.</summary>
    public byte[] Mutate(byte[] seed)
    {
        switch (_random.Next(10))
        {
            case 0:
                return seed[.._random.Next(seed.Length)];
            case 1:
            {
                byte[] copy = (byte[])seed.Clone();
                for (int i = 0, n = 1 + _random.Next(8); i < n; i++)
                {
                    copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return copy;
            }

            case 2:
            {
                var list = seed.ToList();
                for (int i = 0, n = 1 + _random.Next(4); i < n; i++)
                {
                    list.Insert(_random.Next(list.Count), 0);
                }

                return [.. list];
            }

            case 3:
                return InsertLine(seed, "X-Huge: " + new string('a', 70_000 + _random.Next(40_000)));
            case 4:
                return InsertLine(seed, string.Concat(Enumerable.Repeat("Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKfuzz\r\n", 5000)).TrimEnd());
            case 5:
                return ReplaceContentLength(seed, BadLengths[_random.Next(BadLengths.Length)]);
            case 6:
            {
                string text = Encoding.Latin1.GetString(seed);
                return Encoding.Latin1.GetBytes(text.Replace("\r\n", _random.Next(2) == 0 ? "\r\n\r\n" : "\n\r", StringComparison.Ordinal));
            }

            case 7:
            {
                byte[] name = new byte[1 + _random.Next(12)];
                _random.NextBytes(name);
                return InsertLine(seed, Encoding.Latin1.GetString(name) + ": x");
            }

            case 8:
            {
                byte[] noise = new byte[_random.Next(2000)];
                _random.NextBytes(noise);
                return noise;
            }

            default:
            {
                // A valid start line followed by the tail of another place in the message.
                int cut = _random.Next(seed.Length);
                int from = _random.Next(seed.Length);
                return [.. seed[..cut], .. seed[from..]];
            }
        }
    }

    private byte[] InsertLine(byte[] seed, string line)
    {
        string text = Encoding.Latin1.GetString(seed);
        int first = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (first < 0)
        {
            return Encoding.Latin1.GetBytes(text + "\r\n" + line + "\r\n");
        }

        return Encoding.Latin1.GetBytes(text[..(first + 2)] + line + "\r\n" + text[(first + 2)..]);
    }

    private static byte[] ReplaceContentLength(byte[] seed, string value)
    {
        string text = Encoding.Latin1.GetString(seed);
        int at = text.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return Encoding.Latin1.GetBytes(text.Replace("\r\n\r\n", "\r\nContent-Length: " + value + "\r\n\r\n", StringComparison.Ordinal));
        }

        int end = text.IndexOf("\r\n", at, StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text[..at] + "Content-Length: " + value + text[end..]);
    }
}
