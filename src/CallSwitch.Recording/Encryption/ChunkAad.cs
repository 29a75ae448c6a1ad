using System.Buffers.Binary;

namespace CallSwitch.Recording.Encryption;

/// <summary>
/// Associated data of one chunk: the file header, the chunk index and the final-chunk flag.
/// Binding the index detects reordering and swapping; binding the flag detects truncation at a
/// chunk boundary (the new last chunk was not sealed as final); binding the header detects a
/// changed key id, chunk size or nonce.
/// </summary>
internal static class ChunkAad
{
    public const int Length = EncryptedFileHeader.Length + 8 + 1;

    public static void Write(ReadOnlySpan<byte> header, long index, bool final, Span<byte> aad)
    {
        header.CopyTo(aad);
        BinaryPrimitives.WriteInt64LittleEndian(aad[EncryptedFileHeader.Length..], index);
        aad[EncryptedFileHeader.Length + 8] = final ? (byte)1 : (byte)0;
    }
}
