using System.Text.Json;

namespace CallSwitch.TestSupport.Peers;

/// <summary>
/// One event baresip reported on its control interface (module ctrl_tcp), for example
/// <c>REGISTER_OK</c>, <c>CALL_INCOMING</c>, <c>CALL_ESTABLISHED</c> or <c>CALL_CLOSED</c>.
/// </summary>
/// <param name="Type">The event's type (<c>CALL_ESTABLISHED</c>).</param>
/// <param name="Class">Its class (<c>call</c>, <c>register</c>).</param>
/// <param name="Parameter">Its parameter (a status line, a reason), empty when absent.</param>
/// <param name="Peer">The call's peer URI, for call events.</param>
/// <param name="Direction">The call's direction (<c>incoming</c> or <c>outgoing</c>), for call events.</param>
/// <param name="Json">The message as received.</param>
public sealed record BaresipEvent(string Type, string Class, string Parameter, string? Peer, string? Direction, string Json)
{
    /// <summary>Reads an event message; null when <paramref name="root"/> is not one.</summary>
    public static BaresipEvent? TryRead(JsonElement root, string json)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out _))
        {
            return null;
        }

        return new BaresipEvent(
            Text(root, "type") ?? string.Empty,
            Text(root, "class") ?? string.Empty,
            Text(root, "param") ?? string.Empty,
            Text(root, "peeruri"),
            Text(root, "direction"),
            json);
    }

    /// <inheritdoc />
    public override string ToString() => Json;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
