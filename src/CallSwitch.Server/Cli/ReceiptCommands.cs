using System.Security.Cryptography;
using CallSwitch.Compliance.Erasure;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Configuration;

namespace CallSwitch.Server.Cli;

/// <summary>
/// <c>callswitch receipts show|verify|public-key</c>: the signed deletion receipts the retention
/// sidecar (and erasures) issue. A receipt is the exact JSON bytes signed plus a detached DER
/// ECDSA P-256 signature; <c>show --out DIR</c> writes <c>ID.json</c>, <c>ID.json.sig</c> and the
/// public key <c>receipt-signing.pub.pem</c>, which a third party checks with openssl alone:
/// <c>openssl dgst -sha256 -verify receipt-signing.pub.pem -signature ID.json.sig ID.json</c>.
/// </summary>
internal static class ReceiptCommands
{
    /// <summary>The public key's file name as <c>show --out</c> writes it.</summary>
    public const string PublicKeyFileName = "receipt-signing.pub.pem";

    /// <summary>The detached signature's suffix beside a receipt file.</summary>
    public const string SignatureSuffix = ".sig";

    /// <summary>Prints (and with <paramref name="outDirectory"/> writes) the receipt of a recording.</summary>
    public static async Task<int> ShowAsync(
        string? configPath, string idText, string? outDirectory, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(idText, out Guid id))
        {
            error.WriteLine($"not a recording id: {idText}");
            return 2;
        }

        if (StoreCommand.LoadWithStore(load, configPath, error, out int exitCode) is not { } config)
        {
            return exitCode;
        }

        SignedErasureReceipt? receipt;
        await using (SqliteMetadataStore store = StoreCommand.OpenStore(config))
        {
            receipt = await store.GetReceiptAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (receipt is null)
        {
            error.WriteLine($"no deletion receipt for {idText}");
            return 1;
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(receipt.Document));
        output.WriteLine($"signature (DER, base64): {Convert.ToBase64String(receipt.Signature)}");
        output.WriteLine($"signing key: {receipt.SigningKeyId}");
        if (outDirectory is null)
        {
            return 0;
        }

        string? publicKey = PublicKey(config, error);
        if (publicKey is null)
        {
            return 1;
        }

        Directory.CreateDirectory(outDirectory);
        string document = Path.Combine(outDirectory, id.ToString("D") + ".json");
        await File.WriteAllBytesAsync(document, receipt.Document, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(document + SignatureSuffix, receipt.Signature, cancellationToken).ConfigureAwait(false);
        string pem = Path.Combine(outDirectory, PublicKeyFileName);
        await File.WriteAllTextAsync(pem, publicKey, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"wrote {document}, {document}{SignatureSuffix}, {pem}");
        output.WriteLine($"check: openssl dgst -sha256 -verify {pem} -signature {document}{SignatureSuffix} {document}");
        return 0;
    }

    /// <summary>Verifies <c>FILE</c> against <c>FILE.sig</c> with the public key given, or the sidecar's.</summary>
    public static int Verify(string? configPath, string file, string? keyFile, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file) || !File.Exists(file + SignatureSuffix))
        {
            error.WriteLine($"need {file} and its signature {file}{SignatureSuffix}");
            return 2;
        }

        string? publicKey;
        if (keyFile is not null)
        {
            if (!File.Exists(keyFile))
            {
                error.WriteLine($"no public key file {keyFile}");
                return 2;
            }

            publicKey = File.ReadAllText(keyFile);
        }
        else
        {
            publicKey = StoreCommand.LoadConfig(configPath, load, error) is { } config ? PublicKey(config, error) : null;
            if (publicKey is null)
            {
                return 2;
            }
        }

        byte[] document = File.ReadAllBytes(file);
        bool valid;
        try
        {
            valid = EcdsaReceiptSigner.Verify(document, File.ReadAllBytes(file + SignatureSuffix), publicKey);
        }
        catch (CryptographicException e)
        {
            error.WriteLine($"not an EC public key: {e.Message}");
            return 2;
        }

        if (!valid)
        {
            error.WriteLine($"INVALID: the signature does not match {file}");
            return 1;
        }

        try
        {
            ErasureReceipt receipt = ErasureReceipt.Parse(document);
            output.WriteLine(
                $"valid: recording {receipt.RecordingId:D} (campaign {receipt.CampaignId}) erased at {receipt.ErasedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} by {receipt.Actor}, reason {receipt.Reason}");
            return 0;
        }
        catch (FormatException e)
        {
            error.WriteLine($"signed, but {e.Message}");
            return 1;
        }
    }

    /// <summary>Prints the public key receipts are verified with (PEM).</summary>
    public static int PrintPublicKey(string? configPath, Func<string?, ConfigLoadResult> load, TextWriter output, TextWriter error)
    {
        string? publicKey = StoreCommand.LoadConfig(configPath, load, error) is { } config ? PublicKey(config, error) : null;
        if (publicKey is null)
        {
            return 1;
        }

        output.Write(publicKey);
        output.WriteLine();
        return 0;
    }

    private static string? PublicKey(SwitchConfig config, TextWriter error)
    {
        try
        {
            using EcdsaReceiptSigner signer = EcdsaReceiptSigner.OpenExisting(Path.Combine(config.Paths.Data, EcdsaReceiptSigner.KeyFileName));
            return signer.PublicKeyPem;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}
