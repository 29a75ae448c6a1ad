using CallSwitch.Media.Relay;

namespace CallSwitch.Server.Metrics;

/// <summary>Relay leg counters added up over legs (not thread-safe: its owner locks).</summary>
internal sealed class RelayTotals
{
    public long Legs { get; set; }

    public long PacketsIn { get; private set; }

    public long PacketsOut { get; private set; }

    public long DroppedUnexpectedSource { get; private set; }

    public long DroppedMalformed { get; private set; }

    public long DroppedPaused { get; private set; }

    public long DroppedContended { get; private set; }

    public long SendErrors { get; private set; }

    public void Add(RelayLegCounters leg)
    {
        PacketsIn += leg.PacketsIn;
        PacketsOut += leg.PacketsOut;
        DroppedUnexpectedSource += leg.DroppedUnexpectedSource;
        DroppedMalformed += leg.DroppedMalformed;
        DroppedPaused += leg.DroppedPaused;
        DroppedContended += leg.DroppedContended;
        SendErrors += leg.SendErrors;
    }

    public void AddTotals(RelayTotals other)
    {
        PacketsIn += other.PacketsIn;
        PacketsOut += other.PacketsOut;
        DroppedUnexpectedSource += other.DroppedUnexpectedSource;
        DroppedMalformed += other.DroppedMalformed;
        DroppedPaused += other.DroppedPaused;
        DroppedContended += other.DroppedContended;
        SendErrors += other.SendErrors;
    }

    /// <summary>Raises each counter to <paramref name="other"/>'s when higher (counters never go back).</summary>
    public void KeepMax(RelayTotals other)
    {
        PacketsIn = Math.Max(PacketsIn, other.PacketsIn);
        PacketsOut = Math.Max(PacketsOut, other.PacketsOut);
        DroppedUnexpectedSource = Math.Max(DroppedUnexpectedSource, other.DroppedUnexpectedSource);
        DroppedMalformed = Math.Max(DroppedMalformed, other.DroppedMalformed);
        DroppedPaused = Math.Max(DroppedPaused, other.DroppedPaused);
        DroppedContended = Math.Max(DroppedContended, other.DroppedContended);
        SendErrors = Math.Max(SendErrors, other.SendErrors);
    }

    /// <summary>A copy with <paramref name="legs"/> live legs.</summary>
    public RelayTotals With(long legs)
    {
        var copy = new RelayTotals { Legs = legs };
        copy.AddTotals(this);
        return copy;
    }
}
