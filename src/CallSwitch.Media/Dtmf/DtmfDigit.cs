namespace CallSwitch.Media.Dtmf;

/// <summary>A key press reported by <see cref="DtmfEventDetector"/>.</summary>
/// <param name="Digit">The key: '0'–'9', '*', '#', 'A'–'D'.</param>
/// <param name="EventCode">The RFC 4733 event code.</param>
/// <param name="RtpTimestamp">The event's RTP timestamp (its start, §2.5.1.1).</param>
/// <param name="Volume">Power level as −dBm0 from the first packet seen.</param>
public readonly record struct DtmfDigit(char Digit, byte EventCode, uint RtpTimestamp, byte Volume);
