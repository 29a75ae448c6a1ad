using CallSwitch.Calls.Routing;

namespace CallSwitch.Server.Hosting;

/// <summary>The routing table in force, swapped whole on reload; null when a test supplied its own routing.</summary>
internal sealed class RoutingHolder(RoutingTable? initial)
{
    private RoutingTable? _current = initial;

    public RoutingTable? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public RoutingTable Get() => Current ?? RoutingTable.Empty;
}
