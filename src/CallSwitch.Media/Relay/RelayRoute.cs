namespace CallSwitch.Media.Relay;

/// <summary>
/// Everything the packet path of one session needs to know, as one immutable snapshot.
/// Signalling builds a new one (<c>with</c>) and swaps it in atomically; the packet path reads
/// the current one once per packet and takes no lock (architecture rule "signalling writes,
/// media reads"). Only the latch states inside it change, and only on their own receive loop.
/// </summary>
internal sealed record RelayRoute
{
    public required RelayLegSettings SettingsA { get; init; }

    public required RelayLegSettings SettingsB { get; init; }

    public required LatchState RtpLatchA { get; init; }

    public required LatchState RtcpLatchA { get; init; }

    public required LatchState RtpLatchB { get; init; }

    public required LatchState RtcpLatchB { get; init; }

    /// <summary>Relay packets received on A to B (false while an announcement plays to B).</summary>
    public bool ForwardAToB { get; init; } = true;

    /// <summary>Relay packets received on B to A.</summary>
    public bool ForwardBToA { get; init; } = true;

    /// <summary>Converts A's audio to B's codec; null when they share it.</summary>
    public IPayloadTranscoder? TranscoderAToB { get; init; }

    /// <summary>Converts B's audio to A's codec; null when they share it.</summary>
    public IPayloadTranscoder? TranscoderBToA { get; init; }

    public IMediaSink[] SinksA { get; init; } = [];

    public IMediaSink[] SinksB { get; init; } = [];

    public ITelephoneEventObserver? TelephoneEventObserver { get; init; }

    public RelayLegSettings Settings(RelayLegId leg) => leg == RelayLegId.A ? SettingsA : SettingsB;

    public LatchState RtpLatch(RelayLegId leg) => leg == RelayLegId.A ? RtpLatchA : RtpLatchB;

    public LatchState RtcpLatch(RelayLegId leg) => leg == RelayLegId.A ? RtcpLatchA : RtcpLatchB;

    public bool Forwards(RelayLegId from) => from == RelayLegId.A ? ForwardAToB : ForwardBToA;

    public IPayloadTranscoder? Transcoder(RelayLegId from) => from == RelayLegId.A ? TranscoderAToB : TranscoderBToA;

    public IMediaSink[] Sinks(RelayLegId leg) => leg == RelayLegId.A ? SinksA : SinksB;
}
