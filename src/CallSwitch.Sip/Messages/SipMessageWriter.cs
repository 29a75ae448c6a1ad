using System.Buffers;
using System.Globalization;
using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// Writes a message in wire form. Headers that came from the wire and were not changed are
/// copied byte for byte (compact names, spacing and folding kept); headers the stack added or
/// changed are written as <c>Name: value</c>.
/// </summary>
public static class SipMessageWriter
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>The message as a new byte array of the exact size.</summary>
    public static byte[] ToBytes(SipMessage message)
    {
        int size = Measure(message);
        byte[] buffer = new byte[size];
        int written = Write(message, buffer);
        return written == size ? buffer : buffer[..written];
    }

    /// <summary>Writes the message into <paramref name="writer"/>; returns the bytes written.</summary>
    public static int WriteTo(SipMessage message, IBufferWriter<byte> writer)
    {
        int size = Measure(message);
        Span<byte> span = writer.GetSpan(size);
        int written = Write(message, span);
        writer.Advance(written);
        return written;
    }

    /// <summary>An upper bound of the bytes <see cref="Write"/> needs.</summary>
    public static int Measure(SipMessage message)
    {
        SipHeaderCollection headers = message.Headers;
        int size = message switch
        {
            SipRequest r => r.Method.Length + 1 + (r.RawRequestUri.IsEmpty ? Encoding.UTF8.GetMaxByteCount(r.RequestUri.Length) : r.RawRequestUri.Length) + 10,
            SipResponse s => 12 + Encoding.UTF8.GetMaxByteCount(s.ReasonPhrase.Length) + 2,
            _ => 0,
        };

        for (int i = 0; i < headers.Count; i++)
        {
            ref HeaderEntry e = ref headers.EntryAt(i);
            if (e.IsRaw)
            {
                size += e.ValueStart + e.ValueLength - e.NameStart + 2;
            }
            else
            {
                size += Encoding.UTF8.GetMaxByteCount((e.Name ?? HeaderNames.GetName(e.Id)).Length + e.Value!.Length) + 4;
            }
        }

        return size + 2 + message.Body.Length;
    }

    /// <summary>Writes the message into <paramref name="destination"/>, which must hold <see cref="Measure"/> bytes; returns the bytes written.</summary>
    public static int Write(SipMessage message, Span<byte> destination)
    {
        int pos = 0;
        switch (message)
        {
            case SipRequest request:
                pos += Encoding.ASCII.GetBytes(request.Method, destination);
                destination[pos++] = (byte)' ';
                ReadOnlySpan<byte> rawUri = request.RawRequestUri;
                pos += rawUri.IsEmpty ? Encoding.UTF8.GetBytes(request.RequestUri, destination[pos..]) : Copy(rawUri, destination[pos..]);
                pos += Copy(" SIP/2.0\r\n"u8, destination[pos..]);
                break;
            case SipResponse response:
                pos += Copy("SIP/2.0 "u8, destination);
                response.StatusCode.TryFormat(destination[pos..], out int digits, default, CultureInfo.InvariantCulture);
                pos += digits;
                destination[pos++] = (byte)' ';
                pos += Encoding.UTF8.GetBytes(response.ReasonPhrase, destination[pos..]);
                pos += Copy(Crlf, destination[pos..]);
                break;
        }

        SipHeaderCollection headers = message.Headers;
        ReadOnlySpan<byte> source = headers.Source.Span;
        for (int i = 0; i < headers.Count; i++)
        {
            ref HeaderEntry e = ref headers.EntryAt(i);
            if (e.IsRaw)
            {
                pos += Copy(source[e.NameStart..(e.ValueStart + e.ValueLength)], destination[pos..]);
            }
            else
            {
                pos += Encoding.UTF8.GetBytes(e.Name ?? HeaderNames.GetName(e.Id), destination[pos..]);
                destination[pos++] = (byte)':';
                destination[pos++] = (byte)' ';
                pos += Encoding.UTF8.GetBytes(e.Value!, destination[pos..]);
            }

            pos += Copy(Crlf, destination[pos..]);
        }

        pos += Copy(Crlf, destination[pos..]);
        pos += Copy(message.Body.Span, destination[pos..]);
        return pos;
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }
}
