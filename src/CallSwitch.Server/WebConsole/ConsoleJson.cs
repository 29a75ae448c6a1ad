using System.Text.Json;

namespace CallSwitch.Server.WebConsole;

/// <summary>Reading the scripts' JSON bodies: a missing or non-text field is empty, never an error.</summary>
internal static class ConsoleJson
{
    /// <summary>The field's text, trimmed; empty when absent or not a string.</summary>
    public static string Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : string.Empty;
}
