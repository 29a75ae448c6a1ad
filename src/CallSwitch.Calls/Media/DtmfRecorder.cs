using CallSwitch.Media.Dtmf;

namespace CallSwitch.Calls.Media;

/// <summary>
/// Reports each RFC 4733 event once per party, with one <see cref="DtmfEventDetector"/> per
/// leg. Called on relay threads, one per leg, so the detectors are never shared.
/// </summary>
internal sealed class DtmfRecorder
{
    private readonly DtmfEventDetector[] _detectors = [new(), new()];

    public bool TryReport(CallParty party, uint rtpTimestamp, ReadOnlySpan<byte> payload, out char digit)
    {
        bool detected = _detectors[(int)party].TryDetect(rtpTimestamp, payload, out DtmfDigit found);
        digit = found.Digit;
        return detected;
    }
}
