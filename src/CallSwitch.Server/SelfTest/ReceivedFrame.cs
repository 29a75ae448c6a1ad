namespace CallSwitch.Server.SelfTest;

/// <summary>One RTP packet a built-in party received: its header fields and payload, in arrival order.</summary>
/// <param name="PayloadType">The payload type (marker bit removed).</param>
/// <param name="Sequence">The sequence number.</param>
/// <param name="Payload">The payload (a copy the party owns).</param>
internal sealed record ReceivedFrame(int PayloadType, ushort Sequence, byte[] Payload);
