namespace CallSwitch.Configuration;

/// <summary>How log events are written.</summary>
public enum LogFormat
{
    Text,
    Json,
}
