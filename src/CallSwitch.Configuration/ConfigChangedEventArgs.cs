using CallSwitch.Configuration;

namespace CallSwitch.Configuration;

/// <summary>A new configuration was validated and swapped in.</summary>
public sealed class ConfigChangedEventArgs(SwitchConfig previous, SwitchConfig current, IReadOnlyList<string> restartRequired) : EventArgs
{
    /// <summary>The configuration in force before.</summary>
    public SwitchConfig Previous { get; } = previous;

    /// <summary>The configuration in force now (sections that need a restart keep their previous values).</summary>
    public SwitchConfig Current { get; } = current;

    /// <summary>The sections that changed in the file but take effect only after a restart.</summary>
    public IReadOnlyList<string> RestartRequired { get; } = restartRequired;
}
