namespace CallSwitch.Server.SelfTest;

/// <summary>One RTP packet a built-in party received: its payload type and payload.</summary>
/// <param name="PayloadType">The payload type (marker bit removed).</param>
/// <param name="Payload">The payload (a copy the party owns).</param>
internal sealed record ReceivedFrame(int PayloadType, byte[] Payload);
