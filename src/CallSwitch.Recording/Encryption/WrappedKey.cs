namespace CallSwitch.Recording.Encryption;

/// <summary>A data key encrypted by a master key (AES-256-GCM): what a <see cref="IKeyStore"/> keeps.</summary>
/// <param name="MasterKeyId">Fingerprint of the master key that wrapped it.</param>
/// <param name="Nonce">12-byte GCM nonce.</param>
/// <param name="Ciphertext">The encrypted 32-byte data key.</param>
/// <param name="Tag">16-byte GCM tag.</param>
public sealed record WrappedKey(string MasterKeyId, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    /// <summary>One line of text: master id, nonce, ciphertext, tag (hex, colon-separated).</summary>
    public override string ToString() =>
        string.Join(':', MasterKeyId, Convert.ToHexStringLower(Nonce), Convert.ToHexStringLower(Ciphertext), Convert.ToHexStringLower(Tag));

    /// <summary>Parses <see cref="ToString"/>'s format.</summary>
    /// <exception cref="FormatException">Not a wrapped key.</exception>
    public static WrappedKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(':');
        if (parts.Length != 4)
        {
            throw new FormatException("A wrapped key has four colon-separated fields.");
        }

        var key = new WrappedKey(parts[0], Convert.FromHexString(parts[1]), Convert.FromHexString(parts[2]), Convert.FromHexString(parts[3]));
        return key.Nonce.Length == 12 && key.Ciphertext.Length == 32 && key.Tag.Length == 16
            ? key
            : throw new FormatException("A wrapped key has a 12-byte nonce, 32-byte ciphertext and 16-byte tag.");
    }
}
