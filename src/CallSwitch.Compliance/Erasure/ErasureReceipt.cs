using System.Globalization;
using System.Text.Json;

namespace CallSwitch.Compliance.Erasure;

/// <summary>
/// What a deletion receipt states: which recording was destroyed (its call, campaign, span, the
/// SHA-256 of the ciphertext and the data key's id), when, why and by whom. Never a phone number.
/// </summary>
/// <param name="RecordingId">The recording.</param>
/// <param name="CallId">Its call.</param>
/// <param name="CampaignId">Its campaign.</param>
/// <param name="StartedAt">When recording started.</param>
/// <param name="EndedAt">When it ended; null if it never completed.</param>
/// <param name="CiphertextSha256">SHA-256 of the encrypted file; null if none was sealed.</param>
/// <param name="KeyId">The destroyed data key's id; null if there was none (a refused recording).</param>
/// <param name="ErasedAt">When it was erased.</param>
/// <param name="Reason">Why.</param>
/// <param name="Actor">Who.</param>
public sealed record ErasureReceipt(
    Guid RecordingId,
    string CallId,
    string CampaignId,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? CiphertextSha256,
    Guid? KeyId,
    DateTimeOffset ErasedAt,
    string Reason,
    string Actor)
{
    /// <summary>The receipt's document: compact UTF-8 JSON, fields in a fixed order, instants in UTC ISO 8601. These are the bytes signed.</summary>
    public byte[] ToDocument()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "callswitch-deletion-receipt/1");
            json.WriteString("recordingId", RecordingId.ToString("D"));
            json.WriteString("callId", CallId);
            json.WriteString("campaign", CampaignId);
            json.WriteString("start", Iso(StartedAt));
            WriteNullable(json, "end", EndedAt is { } end ? Iso(end) : null);
            WriteNullable(json, "ciphertextSha256", CiphertextSha256);
            WriteNullable(json, "keyId", KeyId?.ToString("D"));
            json.WriteString("erasedAt", Iso(ErasedAt));
            json.WriteString("reason", Reason);
            json.WriteString("actor", Actor);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a receipt's document back.</summary>
    /// <exception cref="FormatException">The bytes are not a deletion receipt.</exception>
    public static ErasureReceipt Parse(ReadOnlySpan<byte> document)
    {
        try
        {
            using JsonDocument parsed = JsonDocument.Parse(document.ToArray());
            JsonElement root = parsed.RootElement;
            if (root.GetProperty("type").GetString() != "callswitch-deletion-receipt/1")
            {
                throw new FormatException("not a CallSwitch deletion receipt");
            }

            return new ErasureReceipt(
                Guid.Parse(Text(root, "recordingId")!),
                Text(root, "callId")!,
                Text(root, "campaign")!,
                DateTimeOffset.Parse(Text(root, "start")!, CultureInfo.InvariantCulture),
                Text(root, "end") is { } end ? DateTimeOffset.Parse(end, CultureInfo.InvariantCulture) : null,
                Text(root, "ciphertextSha256"),
                Text(root, "keyId") is { } key ? Guid.Parse(key) : null,
                DateTimeOffset.Parse(Text(root, "erasedAt")!, CultureInfo.InvariantCulture),
                Text(root, "reason")!,
                Text(root, "actor")!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentNullException)
        {
            throw new FormatException("not a CallSwitch deletion receipt: " + e.Message, e);
        }
    }

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement root, string name) => root.GetProperty(name).GetString();

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
