namespace CallSwitch.Sip.Sdp;

/// <summary>
/// A <c>t=</c> line and the <c>r=</c> lines that follow it (RFC 4566 §5.9 and §5.10).
/// SIP sessions almost always use <c>t=0 0</c> (unbounded, RFC 3264 §5).
/// </summary>
public sealed class SdpTiming
{
    /// <summary>Creates a timing with the given NTP start and stop times (0 means unbounded).</summary>
    public SdpTiming(ulong startTime = 0, ulong stopTime = 0)
    {
        StartTime = startTime;
        StopTime = stopTime;
    }

    /// <summary>Start time as decimal NTP seconds, or 0.</summary>
    public ulong StartTime { get; set; }

    /// <summary>Stop time as decimal NTP seconds, or 0.</summary>
    public ulong StopTime { get; set; }

    /// <summary>Values of the <c>r=</c> lines bound to this timing, verbatim (they are rare and never interpreted by a softswitch).</summary>
    public List<string> RepeatTimes { get; } = [];

    /// <summary>Formats the value part of the <c>t=</c> line.</summary>
    public override string ToString() => $"{StartTime} {StopTime}";
}
