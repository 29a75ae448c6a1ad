using CallSwitch.Media.Dtmf;
using RelayTelephoneEvent = CallSwitch.Media.Rtp.TelephoneEvent;

namespace CallSwitch.Calls.Media;

/// <summary>
/// Reports each RFC 4733 event once per party, with one <see cref="DtmfEventDetector"/> per
/// leg. Called on relay threads, one per leg, so the detectors are never shared.
/// </summary>
internal sealed class DtmfRecorder
{
    private readonly DtmfEventDetector[] _detectors = [new(), new()];

    public bool TryReport(CallParty party, RelayTelephoneEvent relayed, out char digit)
    {
        Span<byte> payload = stackalloc byte[TelephoneEvent.Length];
        new TelephoneEvent(relayed.EventCode, relayed.End, relayed.Volume, relayed.Duration).WriteTo(payload);
        bool detected = _detectors[(int)party].TryDetect(relayed.Timestamp, payload, out DtmfDigit found);
        digit = found.Digit;
        return detected;
    }
}
