using System.Security.Cryptography;

namespace CallSwitch.Compliance.Erasure;

/// <summary>
/// Signs deletion receipts with an ECDSA P-256 key kept in a PEM file (PKCS#8, created owner-only
/// on first use). The signature is SHA-256 + ECDSA, DER-encoded, so that a third party checks a
/// receipt with openssl alone: <c>openssl dgst -sha256 -verify receipt-key.pub.pem -signature R.sig R.json</c>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class EcdsaReceiptSigner : IErasureReceiptSigner, IDisposable
{
    /// <summary>The signing key's file name in the data directory.</summary>
    public const string KeyFileName = "receipt-signing.key";

    private readonly ECDsa _key;
    private readonly Lock _lock = new();

    private EcdsaReceiptSigner(ECDsa key)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = KeyIdOf(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The signing key's id: the first 8 bytes of SHA-256 of its public key (SubjectPublicKeyInfo DER), hex.</summary>
    public string KeyId { get; }

    /// <summary>The public key, PEM (SubjectPublicKeyInfo): what a third party verifies with.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Loads the key from <paramref name="keyFile"/>, creating it (random, mode 0600) if it does not exist.</summary>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    /// <exception cref="CryptographicException">The file does not hold an EC private key.</exception>
    public static EcdsaReceiptSigner OpenOrCreate(string keyFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFile);
        var key = ECDsa.Create();
        try
        {
            if (!File.Exists(keyFile))
            {
                key.GenerateKey(ECCurve.NamedCurves.nistP256);
                if (TryCreate(keyFile, key.ExportPkcs8PrivateKeyPem()))
                {
                    return new EcdsaReceiptSigner(key);
                }
            }

            // There, or created meanwhile by another process (whose key then wins).
            key.ImportFromPem(File.ReadAllText(keyFile));
            return new EcdsaReceiptSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Loads the key from <paramref name="keyFile"/>; never creates one (tools read receipts, only the sidecar issues them).</summary>
    /// <exception cref="FileNotFoundException">There is no key file.</exception>
    /// <exception cref="CryptographicException">The file does not hold an EC private key.</exception>
    public static EcdsaReceiptSigner OpenExisting(string keyFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFile);
        if (!File.Exists(keyFile))
        {
            throw new FileNotFoundException($"No receipt signing key at {keyFile}: the retention sidecar creates it on its first run.", keyFile);
        }

        return OpenOrCreate(keyFile);
    }

    /// <summary>Whether <paramref name="signature"/> is a valid signature of <paramref name="document"/> under the public key <paramref name="publicKeyPem"/>.</summary>
    /// <exception cref="CryptographicException">The PEM is not an EC public key.</exception>
    public static bool Verify(byte[] document, byte[] signature, string publicKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return key.VerifyData(document, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <inheritdoc />
    public SignedErasureReceipt Sign(ErasureReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        byte[] document = receipt.ToDocument();
        byte[] signature;
        lock (_lock)
        {
            signature = _key.SignData(document, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        return new SignedErasureReceipt(receipt.RecordingId, KeyId, receipt.ErasedAt, document, signature);
    }

    /// <summary>Clears the key.</summary>
    public void Dispose() => _key.Dispose();

    private static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 8));

    /// <summary>
    /// Writes the key to a temporary file (owner-only, flushed), then moves it into place without
    /// overwriting: a reader never sees half a key, and of two processes creating it at once one wins.
    /// </summary>
    /// <returns>False when another process created the file first.</returns>
    private static bool TryCreate(string keyFile, string pem)
    {
        string full = Path.GetFullPath(keyFile);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(pem);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(full))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
