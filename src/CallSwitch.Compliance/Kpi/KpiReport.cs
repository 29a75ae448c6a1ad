namespace CallSwitch.Compliance.Kpi;

/// <summary>
/// The compliance indicators of a period: how many calls were recorded and informed, the
/// agents' pauses, the oppositions, what was purged and how recordings were heard.
/// </summary>
public sealed record KpiReport
{
    /// <summary>The period and campaign covered.</summary>
    public required KpiQuery Query { get; init; }

    /// <summary>Calls started in the period.</summary>
    public long Calls { get; init; }

    /// <summary>Of those, calls recorded.</summary>
    public long CallsRecorded { get; init; }

    /// <summary>Of those, calls whose prospect heard the notice in full.</summary>
    public long CallsInformed { get; init; }

    /// <summary>Pauses in the recordings started in the period.</summary>
    public long Pauses { get; init; }

    /// <summary>Recordings started in the period that the agent refused.</summary>
    public long OppositionsAgent { get; init; }

    /// <summary>Recordings started in the period that the prospect refused.</summary>
    public long OppositionsProspect { get; init; }

    /// <summary>Recordings erased in the period (purge, request or opposition).</summary>
    public long RecordingsPurged { get; init; }

    /// <summary>The ciphertext bytes those recordings took.</summary>
    public long BytesFreed { get; init; }

    /// <summary>
    /// Listens (plays) in the period per role of the listener; a user holding several roles counts
    /// under each; an actor who is no CallSwitch user under <c>(no user)</c>.
    /// </summary>
    public IReadOnlyDictionary<string, long> ListensByRole { get; init; } = new Dictionary<string, long>();

    /// <summary>Data-subject requests received in the period (every campaign: a request is about a number).</summary>
    public long RequestsReceived { get; init; }

    /// <summary>Requests answered or rejected in the period.</summary>
    public long RequestsHandled { get; init; }

    /// <summary>Requests whose deadline fell in the period and that were not answered by it.</summary>
    public long RequestsOverdue { get; init; }

    /// <summary>The mean time from receipt to answer of the requests handled in the period; null when none was.</summary>
    public TimeSpan? MeanRequestHandlingTime { get; init; }

    /// <summary>Share of calls recorded (0 when there was no call).</summary>
    public double ShareRecorded => Calls == 0 ? 0 : (double)CallsRecorded / Calls;

    /// <summary>Share of calls informed (0 when there was no call).</summary>
    public double ShareInformed => Calls == 0 ? 0 : (double)CallsInformed / Calls;
}
