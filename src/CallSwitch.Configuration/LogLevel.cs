namespace CallSwitch.Configuration;

/// <summary>The minimum level of events logged; the server maps it to its logging library's levels.</summary>
public enum LogLevel
{
    Verbose,
    Debug,
    Information,
    Warning,
    Error,
    Fatal,
}
