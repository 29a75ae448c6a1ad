using CallSwitch.Media.Relay;

namespace CallSwitch.Server.Metrics;

/// <summary>Relay leg counters added up over legs (not thread-safe: its owner locks).</summary>
internal sealed class RelayTotals
{
    private readonly long[] _values = new long[7];

    public long Legs { get; set; }

    public long PacketsIn => _values[0];

    public long PacketsOut => _values[1];

    public long DroppedUnexpectedSource => _values[2];

    public long DroppedMalformed => _values[3];

    public long DroppedPaused => _values[4];

    public long DroppedContended => _values[5];

    public long SendErrors => _values[6];

    /// <summary>Adds one leg's counters (at scrape or call end, never per packet).</summary>
    public void Add(RelayLegCounters leg) =>
        Combine([leg.PacketsIn, leg.PacketsOut, leg.DroppedUnexpectedSource, leg.DroppedMalformed, leg.DroppedPaused, leg.DroppedContended, leg.SendErrors], static (a, b) => a + b);

    public void AddTotals(RelayTotals other) => Combine(other._values, static (a, b) => a + b);

    /// <summary>Raises each counter to <paramref name="other"/>'s when higher (counters never go back).</summary>
    public void KeepMax(RelayTotals other) => Combine(other._values, Math.Max);

    /// <summary>A copy with <paramref name="legs"/> live legs.</summary>
    public RelayTotals With(long legs)
    {
        var copy = new RelayTotals { Legs = legs };
        copy.AddTotals(this);
        return copy;
    }

    private void Combine(long[] other, Func<long, long, long> combine)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = combine(_values[i], other[i]);
        }
    }
}
