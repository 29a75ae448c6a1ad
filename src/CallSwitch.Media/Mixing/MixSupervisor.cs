using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Mixing;

/// <summary>
/// One supervisor in a <see cref="SupervisionMixer"/>: where their audio comes in
/// (<see cref="Input"/>), where their mix goes, and their current mode.
/// </summary>
/// <remarks>Created by <see cref="SupervisionMixer.AddSupervisor"/>; the mode is changed through the mixer.</remarks>
public sealed class MixSupervisor
{
    private readonly MixInput _input;
    private long _sendFailures;
    private volatile SupervisionMode _mode;

    internal MixSupervisor(MixFormat format, IMixOutlet outlet, SupervisionMode mode, Codecs.CodecRegistry codecs)
    {
        Format = format;
        Outlet = outlet;
        _mode = mode;
        _input = new MixInput(format, codecs, enabled: mode != SupervisionMode.Listen);
        Output = new MixOutput(format, codecs);
        Pcm = new short[SupervisionMixer.FrameSamples];
    }

    /// <summary>The supervisor's codec and payload type.</summary>
    public MixFormat Format { get; }

    /// <summary>The current mode.</summary>
    public SupervisionMode Mode
    {
        get => _mode;
        internal set
        {
            _mode = value;
            _input.Enabled = value != SupervisionMode.Listen;
        }
    }

    /// <summary>
    /// Give it the RTP packets the supervisor's softphone sends (as received, direction
    /// <see cref="MediaDirection.Received"/>). In listen mode they are dropped undecoded.
    /// </summary>
    public IMediaSink Input => _input;

    /// <summary>Mixed packets the outlet refused.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Packets of the supervisor's not decoded (see <see cref="MixInput.Dropped"/>).</summary>
    public long InputDropped => _input.Dropped;

    internal IMixOutlet Outlet { get; }

    internal MixOutput Output { get; }

    // Tick thread only: this tick's mode and frame.
    internal short[] Pcm { get; }

    internal SupervisionMode TickMode { get; set; }

    internal bool HasPcm { get; set; }

    internal bool TakeFrame(SupervisionMode mode)
    {
        TickMode = mode;
        HasPcm = TickMode != SupervisionMode.Listen && _input.TryTake(Pcm);
        return HasPcm;
    }

    internal void NoteSendFailure() => Interlocked.Increment(ref _sendFailures);
}
