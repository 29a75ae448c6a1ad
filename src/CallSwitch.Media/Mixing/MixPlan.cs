namespace CallSwitch.Media.Mixing;

/// <summary>Who is on a supervised call and which directions need a mix; immutable, swapped whole.</summary>
internal sealed record MixPlan
{
    public static readonly MixPlan Empty = new();

    public MixSupervisor[] Supervisors { get; init; } = [];

    /// <summary>Each supervisor's mode, by index in <see cref="Supervisors"/>: the tick mixes by these.</summary>
    public SupervisionMode[] Modes { get; init; } = [];

    public IPcmFrameSink[] ListenSinks { get; init; } = [];

    /// <summary>The agent is hearing the short tone that says a supervisor joined.</summary>
    public bool AgentTone { get; init; }

    /// <summary>The call is on hold: nobody barges in on the prospect (they hear what the holding side sends).</summary>
    public bool Held { get; init; }

    /// <summary>Someone whispers or barges, or the tone plays: the agent hears a mix.</summary>
    public bool MixesToAgent { get; init; }

    /// <summary>Someone barges and the call is not on hold: the prospect hears a mix.</summary>
    public bool MixesToProspect { get; init; }

    public MixPlan With(MixSupervisor supervisor, SupervisionMode mode) =>
        this with { Supervisors = [.. Supervisors, supervisor], Modes = [.. Modes, mode] };

    public MixPlan Without(MixSupervisor supervisor)
    {
        int index = Array.IndexOf(Supervisors, supervisor);
        return index < 0 ? this : this with
        {
            Supervisors = [.. Supervisors.AsSpan(0, index), .. Supervisors.AsSpan(index + 1)],
            Modes = [.. Modes.AsSpan(0, index), .. Modes.AsSpan(index + 1)],
        };
    }

    public MixPlan WithMode(MixSupervisor supervisor, SupervisionMode mode)
    {
        SupervisionMode[] modes = [.. Modes];
        modes[Array.IndexOf(Supervisors, supervisor)] = mode;
        return this with { Modes = modes };
    }

    /// <summary>The plan with its two flags computed from the supervisors' current modes.</summary>
    public MixPlan Settle() => this with
    {
        MixesToAgent = AgentTone || Array.Exists(Modes, m => m != SupervisionMode.Listen),
        MixesToProspect = !Held && Array.Exists(Modes, m => m == SupervisionMode.Barge),
    };
}
